package io.vigie.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.VertxExtension;
import io.vigie.common.Addresses;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decoder on a real local event bus, with batches of one uplink (the ingest log's batches are
 * tested in {@link BatchTest}). Test consumers stand in for the registry (answering device contexts,
 * counting requests) and for the enrichment (capturing the measurements and answering their fates).
 */
@ExtendWith(VertxExtension.class)
@RealRedis
class DecoderServiceTest {
  private static final String PROBE = "0101010101010101";
  private static final String OTHER = "0202020202020202";
  private static final Instant AT = Instant.parse("2026-11-29T09:34:15.775023242Z");

  private Vertx vertx;
  private SimpleMeterRegistry meters;
  private final Map<String, DeviceContext> registry = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> registryRequests = new ConcurrentHashMap<>();
  private final BlockingQueue<Measurement> decoded = new LinkedBlockingQueue<>();
  private final BlockingQueue<DeviceContext> forwardedContexts = new LinkedBlockingQueue<>();

  @BeforeEach
  void deploy(Vertx vertx, EmbeddedRedis redis) throws Exception {
    this.vertx = vertx;
    meters = new SimpleMeterRegistry();
    var config = VigieConfig.from(new JsonObject().put("bus", new JsonObject().put("requestTimeout", 2000))
        .put("redis", new JsonObject().put("url", redis.url()))
        // generous: a busy machine must not turn a good codec into a timeout
        .put("decoder", new JsonObject().put("codecTimeoutMs", 1500)));
    await(new DecoderService().deploy(vertx, config, new ServiceContext("decoder", HealthChecks.create(vertx), meters)));
    registry.put(PROBE, device(PROBE, "cayenne-lpp"));
    registry.put(OTHER, device(OTHER, "cayenne-lpp"));
  }

  @Test
  @DisplayName("AWcA6w== from the gateway is forwarded as 23.5 Cel on channel 1 with its radio settings and the device's context, and the enrichment's Ack goes back to the gateway")
  void decodesAndForwards() throws Exception {
    startRegistry();
    startEnrichment(false);

    var tx = new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", false, true);
    var sent = uplink(PROBE, 7, "016700eb");
    sent = new Uplink(sent.devEui(), sent.fCnt(), sent.fPort(), sent.payloadHex(), sent.encrypted(), sent.devAddr(),
        sent.receivedAt(), sent.source(), sent.rx(), null, tx);
    var fate = send(sent);

    assertThat(fate.id()).isEqualTo(PROBE + "-00000007");
    assertThat(fate.status()).isEqualTo(UplinkStatus.STORED);
    var measurement = decoded.poll(5, TimeUnit.SECONDS);
    assertThat(measurement).isNotNull();
    assertThat(measurement.id()).isEqualTo(PROBE + "-00000007");
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
    assertThat(measurement.errors()).isEmpty();
    assertThat(measurement.receivedAt()).isEqualTo(AT);
    assertThat(measurement.source()).isEqualTo("chirpstack-v4");
    assertThat(measurement.rx()).containsExactly(new RxInfo("0016c001f153a14c", -36.0, 10.5));
    assertThat(measurement.tx()).as("the radio settings travel with the measurement").isEqualTo(tx);
    assertThat(measurement.warnings()).isEmpty();
    assertThat(counter("vigie.decoder.uplinks", "codec", "cayenne-lpp", "result", "decoded")).isEqualTo(1.0);
    assertThat(forwardedContexts.poll(5, TimeUnit.SECONDS)).as("the context the enrichment need not ask again")
        .isEqualTo(registry.get(PROBE));
  }

  @Test
  @DisplayName("a duplicate fate from the enrichment is passed back unchanged")
  void duplicateAck() throws Exception {
    startRegistry();
    startEnrichment(true);

    assertThat(send(uplink(PROBE, 7, "016700eb")).status()).isEqualTo(UplinkStatus.DUPLICATE);
  }

  @Test
  @DisplayName("an unknown device's uplink gets the fate unknown-device and nothing is forwarded")
  void unknownDevice() throws Exception {
    startRegistry();
    startEnrichment(false);
    var stranger = "0303030303030303";

    var fate = send(uplink(stranger, 1, "016700eb"));

    assertThat(fate.status()).isEqualTo(UplinkStatus.UNKNOWN_DEVICE);
    assertThat(fate.reason()).isEqualTo("unknown device " + stranger);
    assertThat(fate.id()).isEqualTo(stranger + "-00000001");
    assertThat(decoded).isEmpty();
    assertThat(counter("vigie.decoder.uplinks.refused", "reason", "unknown_device")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("an unknown device is remembered for a while: a second uplink does not ask the registry again")
  void unknownDeviceRemembered() throws Exception {
    startRegistry();
    var stranger = "0303030303030303";

    send(uplink(stranger, 1, "016700eb"));
    var second = send(uplink(stranger, 2, "016700eb"));

    assertThat(second.status()).isEqualTo(UplinkStatus.UNKNOWN_DEVICE);
    assertThat(requests(stranger)).isEqualTo(1);
  }

  @Test
  @DisplayName("a device's context is cached: a second uplink does not ask the registry again")
  void cached() throws Exception {
    startRegistry();
    startEnrichment(false);

    send(uplink(PROBE, 1, "016700eb"));
    send(uplink(PROBE, 2, "016700eb"));

    assertThat(requests(PROBE)).isEqualTo(1);
    assertThat(counter("vigie.registry.cache.misses", "service", "decoder", "cache", "device-context")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("registry.changed for the device makes the next uplink ask the registry again, with the new codec")
  void deviceChangeInvalidates() throws Exception {
    startRegistry();
    startEnrichment(false);
    send(uplink(PROBE, 1, "016700eb"));
    send(uplink(OTHER, 1, "016700eb"));

    registry.put(PROBE, device(PROBE, "none"));
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("kind", "device").put("id", PROBE).put("tenant", "acme"));
    send(uplink(PROBE, 2, "016700eb"));
    send(uplink(OTHER, 2, "016700eb"));

    assertThat(requests(PROBE)).isEqualTo(2);
    assertThat(requests(OTHER)).as("another device's context stays cached").isEqualTo(1);
    var measurements = List.of(decoded.poll(5, TimeUnit.SECONDS), decoded.poll(5, TimeUnit.SECONDS),
        decoded.poll(5, TimeUnit.SECONDS), decoded.poll(5, TimeUnit.SECONDS));
    var probeSecond = measurements.stream().filter(m -> m.id().equals(PROBE + "-00000002")).findFirst().orElseThrow();
    assertThat(probeSecond.measurements()).as("decoded with the new codec 'none'").isEmpty();
  }

  @Test
  @DisplayName("registry.changed for a device type or a node drops every cached context")
  void otherChangesDropAll() throws Exception {
    startRegistry();
    startEnrichment(false);
    send(uplink(PROBE, 1, "016700eb"));
    send(uplink(OTHER, 1, "016700eb"));

    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("kind", "device-type").put("id", "probe"));
    send(uplink(PROBE, 2, "016700eb"));
    send(uplink(OTHER, 2, "016700eb"));
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("kind", "node").put("id", "fridge-12"));
    send(uplink(PROBE, 3, "016700eb"));

    assertThat(requests(PROBE)).isEqualTo(3);
    assertThat(requests(OTHER)).isEqualTo(2);
  }

  @Test
  @DisplayName("uplinks of one device arriving together on a cold cache share one registry request")
  void coldCacheSharesOneRequest() throws Exception {
    var held = holdingRegistry();
    startEnrichment(false);

    var first = vertx.eventBus().request(Addresses.UPLINK_RECEIVED, Batches.of(uplink(PROBE, 1, "016700eb")));
    var second = vertx.eventBus().request(Addresses.UPLINK_RECEIVED, Batches.of(uplink(PROBE, 2, "016700eb")));
    var request = held.poll(5, TimeUnit.SECONDS);
    barrier();
    request.reply(registry.get(PROBE).toJson());
    await(first);
    await(second);

    assertThat(held).as("no second registry request").isEmpty();
    assertThat(counter("vigie.registry.cache.misses", "service", "decoder", "cache", "device-context")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a registry answer that was on its way during a change is used once but not cached")
  void answerDuringChangeNotCached() throws Exception {
    var held = holdingRegistry();
    startEnrichment(false);

    var first = vertx.eventBus().request(Addresses.UPLINK_RECEIVED, Batches.of(uplink(PROBE, 1, "016700eb")));
    var request = held.poll(5, TimeUnit.SECONDS);
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("kind", "device").put("id", PROBE));
    barrier();
    request.reply(registry.get(PROBE).toJson());
    await(first);
    var second = vertx.eventBus().request(Addresses.UPLINK_RECEIVED, Batches.of(uplink(PROBE, 2, "016700eb")));

    var again = held.poll(5, TimeUnit.SECONDS);
    assertThat(again).as("the registry is asked again").isNotNull();
    again.reply(registry.get(PROBE).toJson());
    await(second);
  }

  @Test
  @DisplayName("a truncated LPP frame is still forwarded, with its raw payload and the error, and counted")
  void truncatedForwarded() throws Exception {
    startRegistry();
    startEnrichment(false);

    assertThat(send(uplink(PROBE, 9, "016700")).id()).isEqualTo(PROBE + "-00000009");
    var measurement = decoded.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("payloadHex", "016700"));
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).singleElement().asString().startsWith("cayenne-lpp: truncated frame");
    assertThat(counter("vigie.decoder.uplinks", "codec", "cayenne-lpp", "result", "error")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a javascript device's uplink is decoded by its script, standardised, and a looping script is stopped")
  void javascriptDecoded() throws Exception {
    var script = "function decodeUplink(input) { return { data: { TempC_SHT: (input.bytes[2] << 24 >> 16 | input.bytes[3]) / 10,"
        + " BatV: 3.6, firmware: 'v2' }, warnings: input.bytes.length > 4 ? ['extra bytes'] : [] }; }";
    registry.put(PROBE, javascriptDevice(PROBE, script));
    startRegistry();
    startEnrichment(false);

    send(uplink(PROBE, 1, "016700eb"));
    var measurement = decoded.poll(10, TimeUnit.SECONDS);
    assertThat(measurement.errors()).isEmpty();
    assertThat(measurement.decoded().getMap()).containsEntry("TempC_SHT", 23.5).containsEntry("firmware", "v2");
    assertThat(measurement.measurements()).extracting(m -> m.name() + "=" + m.value() + " " + m.unit())
        .containsExactlyInAnyOrder("temperature=23.5 Cel", "battery=3.6 V");

    registry.put(OTHER, javascriptDevice(OTHER, "function decodeUplink(input) { while (true) {} }"));
    send(uplink(OTHER, 1, "016700eb"));
    var stopped = decoded.poll(10, TimeUnit.SECONDS);
    assertThat(stopped.errors()).singleElement().asString().startsWith("javascript: the codec ran longer than");
    assertThat(stopped.decoded()).isEqualTo(new JsonObject().put("payloadHex", "016700eb"));

    send(uplink(PROBE, 2, "0167ff9c"));
    assertThat(decoded.poll(10, TimeUnit.SECONDS).measurements()).first()
        .satisfies(m -> assertThat(m.value()).isEqualTo(-10.0));
  }

  @Test
  @DisplayName("hostile codecs (a loop, a huge allocation, deep recursion, prototype tampering, reaching for Java, a file or the network) give their own uplinks the fate codec-error with the codec's message, counted, while another device's uplinks are decoded meanwhile")
  void hostileCodecs() throws Exception {
    registry.put(PROBE, javascriptDevice(PROBE, "function decodeUplink(input) { return { data: { TempC_SHT: input.bytes[0] } }; }"));
    startRegistry();
    await(Batches.storingOnce(vertx, decoded::add));
    var probeFCnt = new AtomicInteger();
    assertThat(send(uplink(PROBE, probeFCnt.incrementAndGet(), "11")).status()).isEqualTo(UplinkStatus.STORED);
    var hostile = new java.util.LinkedHashMap<String, String>();
    hostile.put("function decodeUplink() { while (true) {} }", "the codec ran longer than");
    hostile.put("function decodeUplink() { var a = []; for (;;) a.push(new Array(1e5).fill(1)); }", "the codec ");
    hostile.put("function f(n) { return f(n + 1) + 1; } function decodeUplink() { return { data: { x: f(0) } }; }", "stack");
    hostile.put("'use strict'; function decodeUplink() { Object.prototype.polluted = 1; return { data: {} }; }", "TypeError");
    hostile.put("function decodeUplink() { JSON.parse = null; Array.prototype.push = null; return { data: { t: 1 } }; }", null);
    hostile.put("function decodeUplink() { return { data: { t: Java.type('java.lang.System').getenv('HOME') } }; }", "Java");
    hostile.put("function decodeUplink() { return { data: { t: load('/etc/passwd') } }; }", "load");
    hostile.put("function decodeUplink() { return { data: { t: fetch('http://127.0.0.1:9200/') } }; }", "fetch");
    hostile.put("function decodeUplink() { return { data: { t: require('fs') } }; }", "require");
    var errorsBefore = counter("vigie.decoder.uplinks", "codec", "javascript", "result", "error");
    var n = 0;
    for (var entry : hostile.entrySet()) {
      var devEui = String.format("03030303030303%02x", n++);
      registry.put(devEui, javascriptDevice(devEui, entry.getKey()));
      var attack = vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplink(devEui, 1, "00")));
      // meanwhile, on another codec worker: another device's uplinks
      var probe = send(uplink(PROBE, probeFCnt.incrementAndGet(), "16"));
      assertThat(probe.status()).isEqualTo(UplinkStatus.STORED);
      if (n == 1) assertThat(attack.isComplete()).as("the loop still runs while the other device is decoded").isFalse();
      var fate = Batches.fates(await(attack)).get(0);
      if (entry.getValue() == null) {
        assertThat(fate.status()).as("tampering without strict mode changes nothing").isEqualTo(UplinkStatus.STORED);
        continue;
      }
      assertThat(fate.status()).as(entry.getKey()).isEqualTo(UplinkStatus.CODEC_ERROR);
      assertThat(fate.reason()).as(entry.getKey()).startsWith("javascript: ").containsIgnoringCase(entry.getValue());
    }
    assertThat(counter("vigie.decoder.uplinks", "codec", "javascript", "result", "error"))
        .isEqualTo(errorsBefore + hostile.size() - 1);
    assertThat(send(uplink(PROBE, probeFCnt.incrementAndGet(), "17")).status()).isEqualTo(UplinkStatus.STORED);
    assertThat(decoded).filteredOn(m -> m.devEui().equals(PROBE)).hasSize(probeFCnt.get())
        .allSatisfy(m -> assertThat(m.errors()).isEmpty());
  }

  private static DeviceContext javascriptDevice(String devEui, String script) {
    return new DeviceContext(devEui, "acme", "Fridge 12 probe", "probe", "fridge-12", "network-decrypted",
        new JsonObject().put("id", "probe").put("name", "Probe")
            .put("codec", new JsonObject().put("kind", "javascript").put("script", script)),
        List.of(new PathElement("acme", "tenant", "ACME"), new PathElement("fridge-12", "asset", "Fridge 12")));
  }

  @Test
  @DisplayName("a failure of the enrichment is passed back with its status code")
  void enrichmentFailurePropagates() throws Exception {
    startRegistry();
    vertx.eventBus().consumer(Addresses.UPLINK_DECODED, message -> message.fail(409, "conflicting uplink"));

    var failure = requestFailure(uplink(PROBE, 1, "016700eb"));

    assertThat(failure.failureCode()).isEqualTo(409);
    assertThat(failure.getMessage()).isEqualTo("conflicting uplink");
  }

  @Test
  @DisplayName("without an enrichment, or without a registry, the answer is failure 503")
  void unavailable() throws Exception {
    var noRegistry = requestFailure(uplink(PROBE, 1, "016700eb"));
    assertThat(noRegistry.failureCode()).isEqualTo(503);
    assertThat(noRegistry.getMessage()).isEqualTo("the device registry is not running (nothing answers on registry.device.context)");
    assertThat(counter("vigie.decoder.uplinks.refused", "reason", "registry_unavailable")).isEqualTo(1.0);

    startRegistry();
    var noEnrichment = requestFailure(uplink(PROBE, 1, "016700eb"));
    assertThat(noEnrichment.failureCode()).isEqualTo(503);
    assertThat(noEnrichment.getMessage()).isEqualTo("the enrichment (uplink.decoded) did not answer (NO_HANDLERS)");
  }

  @Test
  @DisplayName("without redis.url the decoder does not deploy, and says it needs Redis")
  void needsRedis() {
    var failure = catchThrowable(() -> new DecoderService().deploy(vertx, VigieConfig.from(new JsonObject()),
        new ServiceContext("decoder", HealthChecks.create(vertx), meters)));

    assertThat(failure).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decoder-service needs Redis").hasMessageContaining("VIGIE_REDIS_URL");
  }

  @Test
  @DisplayName("a payload the source says is encrypted, for a network-decrypted device, is counted and stored undecoded with the mismatch as error and warning")
  void networkDecryptedButEncrypted() throws Exception {
    startRegistry();
    startEnrichment(false);
    var uplink = new Uplink(PROBE, 11, 1, "a1b2c3d4", true, "00189440", AT, "chirpstack-v4", List.of());

    assertThat(send(uplink).id()).isEqualTo(PROBE + "-0000000b");
    var measurement = decoded.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("payloadHex", "a1b2c3d4"));
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).singleElement().asString().contains("declared network-decrypted");
    assertThat(measurement.warnings()).singleElement().asString()
        .startsWith("activation mismatch: the device is registered network-decrypted").contains("chirpstack-v4");
    assertThat(counter("vigie.decoder.uplinks", "codec", "cayenne-lpp", "result", "error")).isEqualTo(1.0);
    assertThat(counter("vigie.decoder.activation.mismatches", "kind", "network_encrypted")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a body that is not a batch is answered with failure 400; an item that is not an uplink gets the fate malformed, and its neighbours are decoded")
  void malformed() throws Exception {
    var failure = catchThrowable(() -> await(vertx.eventBus().request(Addresses.UPLINK_RECEIVED, new JsonObject().put("devEui", PROBE))));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);

    startRegistry();
    startEnrichment(false);
    var body = Batches.of(uplink(PROBE, 1, "016700eb"));
    body.getJsonArray(Batch.UPLINKS).add(new JsonObject().put("devEui", OTHER).put("fCnt", 3)).add(uplink(PROBE, 2, "016700eb").toJson());
    var fates = Batches.fates(await(vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, body)));

    assertThat(fates).extracting(UplinkFate::status)
        .containsExactly(UplinkStatus.STORED, UplinkStatus.MALFORMED, UplinkStatus.STORED);
    assertThat(fates.get(1).id()).isEqualTo(OTHER + "-00000003");
  }

  // ---------------------------------------------------------------- helpers

  private void startRegistry() throws Exception {
    await(vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var devEui = message.body().getString("devEui");
      registryRequests.computeIfAbsent(devEui, k -> new AtomicInteger()).incrementAndGet();
      var device = registry.get(devEui);
      if (device == null) {
        message.fail(404, "no device " + devEui);
      } else {
        message.reply(device.toJson());
      }
    }).completion());
  }

  /** A registry whose requests the test answers itself. */
  private BlockingQueue<Message<JsonObject>> holdingRegistry() throws Exception {
    var held = new LinkedBlockingQueue<Message<JsonObject>>();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, held::add).completion());
    return held;
  }

  /**
   * Returns once the decoder has handled everything sent to it before: a malformed uplink is
   * answered at once, and the decoder handles its messages in order on one event loop.
   */
  private void barrier() {
    catchThrowable(() -> await(vertx.eventBus().request(Addresses.UPLINK_RECEIVED, new JsonObject())));
  }

  private void startEnrichment(boolean duplicate) throws Exception {
    await(Batches.enrichment(vertx, duplicate ? UplinkStatus.DUPLICATE : UplinkStatus.STORED, forwarded -> {
      decoded.add(forwarded.measurement());
      if (forwarded.context() != null) forwardedContexts.add(forwarded.context());
    }));
  }

  private int requests(String devEui) {
    var count = registryRequests.get(devEui);
    return count == null ? 0 : count.get();
  }

  /** Sends a batch of one uplink; its fate. */
  private UplinkFate send(Uplink uplink) throws Exception {
    var fates = Batches.fates(await(vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplink))));
    assertThat(fates).hasSize(1);
    return fates.get(0);
  }

  private ReplyException requestFailure(Uplink uplink) {
    var failure = catchThrowable(() -> send(uplink));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  private double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0.0 : counter.count();
  }

  private static Uplink uplink(String devEui, long fCnt, String payloadHex) {
    return new Uplink(devEui, fCnt, 1, payloadHex, false, "00189440", AT, "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5)));
  }

  private static DeviceContext device(String devEui, String codec) {
    return new DeviceContext(devEui, "acme", "Fridge 12 probe", "probe", "fridge-12", "network-decrypted",
        new JsonObject().put("id", "probe").put("name", "Probe").put("codec", new JsonObject().put("kind", codec)),
        List.of(new PathElement("acme", "tenant", "ACME"), new PathElement("fridge-12", "asset", "Fridge 12")));
  }

  /** Waits for a future from the test thread; a failure is rethrown as itself. */
  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }
}
