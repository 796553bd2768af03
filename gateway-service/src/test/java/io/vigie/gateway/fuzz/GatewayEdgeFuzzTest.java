package io.vigie.gateway.fuzz;

import static io.vigie.gateway.udp.SemtechUdpIngestTest.datagramOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.gateway.Fixtures;
import io.vigie.gateway.TestGateway;
import io.vigie.testing.RealMqtt;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Mutation-based fuzzing of the running gateway over its real sockets (HTTP webhooks, Semtech UDP, MQTT through the
 * real broker), from the fixtures of {@code src/test/resources/payload/} ({@link Mutator}), with valid inputs mixed in.
 * {@code -Dvigie.fuzz.inputs} inputs per adapter ({@link FuzzRun#INPUTS}), {@code -Dvigie.fuzz.seed} to replay.
 * Whatever comes in: no 5xx, no reset or timeout, the JSON error shape, bounded latency and heap, still ready,
 * the refusals counted, every accepted uplink in the ingest log (reaching the stand-in decoder), no secret logged.
 */
@RealMqtt
class GatewayEdgeFuzzTest {
  private static final int HTTP_CONCURRENCY = 8;
  /** One valid input (HTTP) or valid probe waited for (UDP, MQTT) every so many inputs. */
  private static final int VALID_EVERY = 10;
  /** Generous: this machine's load average reached 49 on 2 cores during the suite. */
  private static final long P99_BOUND_MS = 5000;
  private static final int WARM_UP = 64;
  private static final long HEAP_MARGIN_MIB = 128;
  private static final String PROBE_EUI = "70b3d5fffe0f0001";
  private static final String PROBE_DEV_ADDR = "fe7a3b19";
  private static final Captured LOGS = new Captured();

  private TestGateway gateway;
  private Vertx clientVertx;
  /** Uplink ids the stand-in decoder received (acknowledged: the log is drained). */
  private final Set<String> ingested = ConcurrentHashMap.newKeySet();
  /** Ids accepted upstream (202/200, PUSH_ACK of a probe, probe published), to find in {@link #ingested}. */
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();

  /** Every log line of the JVM, formatted: searched for the integration secret. */
  static final class Captured extends AppenderBase<ILoggingEvent> {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getLoggerName() + " - " + event.getFormattedMessage());
    }
  }

  @BeforeAll
  static void captureLogs() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LOGS.setContext(context);
    LOGS.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(LOGS);
  }

  @AfterAll
  static void releaseLogs() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(LOGS);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (clientVertx != null) TestGateway.await(clientVertx.close());
  }

  // ---------------------------------------------------------------- HTTP webhooks

  @Test
  @DisplayName("mutated ChirpStack webhook bodies and queries get 2xx or a 4xx with the JSON error shape, never a 5xx, and every accepted uplink is in the log")
  void chirpstack() throws Exception {
    fuzzHttp("chirpstack-v4", "/uplinks/chirpstack", List.of("chirpstack-v4-up.json", "chirpstack-v4-up-first-frame.json"),
        (body, i) -> body.put("fCnt", i).getJsonObject("deviceInfo").put("devEui", PROBE_EUI));
  }

  @Test
  @DisplayName("mutated The Things Stack webhook bodies get 2xx or a 4xx with the JSON error shape, never a 5xx, and every accepted uplink is in the log")
  void tts() throws Exception {
    fuzzHttp("tts-v3", "/uplinks/ttn", List.of("tts-v3-up.json", "tts-v3-up-skip-payload-crypto.json"), (body, i) -> {
      body.getJsonObject("end_device_ids").put("dev_eui", PROBE_EUI.toUpperCase(java.util.Locale.ROOT));
      body.getJsonObject("uplink_message").put("f_cnt", i);
    });
  }

  @Test
  @DisplayName("mutated ThingPark webhook bodies get 2xx or a 4xx with the JSON error shape, never a 5xx, and every accepted uplink is in the log")
  void thingpark() throws Exception {
    fuzzHttp("thingpark", "/uplinks/thingpark", List.of("thingpark-uplink.json", "thingpark-uplink-strings.json"),
        (body, i) -> body.getJsonObject("DevEUI_uplink").put("DevEUI", PROBE_EUI).put("FCntUp", i % 20 == 0 ? (Object) i : String.valueOf(i)));
  }

  /**
   * @param names the fixtures mutated
   * @param valid makes a copy of a fixture the valid body of input {@code i} (the probe device, counter {@code i})
   */
  private void fuzzHttp(String adapter, String path, List<String> names, BiConsumer<JsonObject, Integer> valid) throws Exception {
    var fixtures = names.stream().map(Fixtures::json).toList();
    IntFunction<JsonObject> validBody = i -> {
      var body = fixtures.get(i / VALID_EVERY % 2).copy();
      valid.accept(body, i);
      return body;
    };
    startGateway(Map.of("udp.port", "off"));
    var client = WebClient.create(clientVertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(HTTP_CONCURRENCY));
    // warm-up, not measured: the first requests of a JVM pay for class loading and compilation
    for (int k = 0; k < WARM_UP; k += HTTP_CONCURRENCY) {
      var batch = new java.util.ArrayList<io.vertx.core.Future<?>>();
      for (int j = 0; j < HTTP_CONCURRENCY; j++) {
        batch.add(client.post(gateway.running.port(), "localhost", path + (path.endsWith("chirpstack") ? "?event=up" : ""))
            .putHeader("Authorization", "Bearer " + TestGateway.SECRET)
            .sendBuffer(validBody.apply(10_000_000 + (k + j) * VALID_EVERY).toBuffer()));
      }
      TestGateway.await(io.vertx.core.Future.all(batch));
    }
    var run = new FuzzRun(adapter);
    var mutator = new Mutator(run.seed);
    var window = new Semaphore(HTTP_CONCURRENCY);
    for (int i = 0; i < FuzzRun.INPUTS; i++) {
      run.progress(i);
      boolean isValid = i % VALID_EVERY == 0;
      var body = isValid ? validBody.apply(i).toBuffer().getBytes()
          : mutator.chance(0.7) ? mutator.json(mutator.pick(fixtures))
          : mutator.chance(0.9) ? mutator.bytes(mutator.pick(fixtures).toBuffer().getBytes()) : mutator.garbage(512);
      var query = path.endsWith("chirpstack") ? "?event=" + (isValid || mutator.chance(0.9) ? "up" : event(mutator)) : "";
      var request = client.post(gateway.running.port(), "localhost", path + query).timeout(10_000);
      var contentType = "application/json";
      if (isValid || mutator.chance(0.95)) {
        request.putHeader("Authorization", "Bearer " + TestGateway.SECRET);
      } else {
        // the secret in the query string (never to be logged), none, or another content type
        contentType = mutator.pick(List.of("text/plain", "application/xml", "application/json; charset=latin1", ""));
        if (mutator.chance(0.5)) request.addQueryParam("token", TestGateway.SECRET);
      }
      request.putHeader("Content-Type", contentType);
      var what = request.uri() + " (" + contentType + ", " + request.headers().contains("Authorization") + ", " + body.length + " bytes)";
      int input = i;
      window.acquire();
      long sent = System.nanoTime();
      request.sendBuffer(Buffer.buffer(body)).onComplete(answer -> {
        run.latency(System.nanoTime() - sent);
        try {
          if (answer.failed()) {
            run.errors5xx.incrementAndGet();
            run.fail(input, what + ": no answer: " + answer.cause(), body);
          } else {
            httpAnswer(run, input, what, isValid, body, answer.result().statusCode(), answer.result().bodyAsString());
          }
        } catch (RuntimeException e) {
          run.fail(input, "answer not understood: " + e, body);
        } finally {
          window.release();
        }
      });
    }
    assertThat(window.tryAcquire(HTTP_CONCURRENCY, 60, TimeUnit.SECONDS)).as("every request answered").isTrue();
    assertAfterRun(run, adapter);
  }

  private void httpAnswer(FuzzRun run, int input, String what, boolean isValid, byte[] body, int status, String answer) {
    if ((status == 200 || status == 202) && answer != null && answer.contains("\"id\"")) {
      run.accepted.incrementAndGet();
      accepted.add(new JsonObject(answer).getString("id"));
    } else if (status == 204 && !isValid) {
      run.ignored.incrementAndGet();
    } else if (status >= 400 && status < 500 && !isValid && errorShape(answer)) {
      run.refused4xx.incrementAndGet();
    } else {
      if (status >= 500) run.errors5xx.incrementAndGet();
      else if (status >= 400) run.refused4xx.incrementAndGet();
      run.fail(input, what + (isValid ? ": valid input answered " : ": answered ") + status + " " + abbreviate(answer), body);
    }
  }

  private static boolean errorShape(String answer) {
    try {
      var json = new JsonObject(answer);
      return json.getValue("error") instanceof String && json.getValue("message") instanceof String;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String event(Mutator mutator) {
    return URLEncoder.encode(mutator.pick(List.of("join", "status", "ack", "", "UP", "up ", "txack", "log", "location", "integration"))
        + (mutator.chance(0.3) ? mutator.string(1 + mutator.below(40)) : ""), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- Semtech UDP

  @Test
  @DisplayName("mutated Semtech UDP datagrams are dropped and counted, while valid PUSH_DATA and PULL_DATA interleaved keep getting their acknowledgement")
  void semtechUdp() throws Exception {
    startGateway(Map.of());
    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVADDR_LOOKUP, message -> {
      var devAddr = message.body().getString("devAddr");
      var devices = new JsonArray();
      // every DevAddr resolves (mutated frames go as deep as they can), but a few: none, or two devices
      if (PROBE_DEV_ADDR.equals(devAddr)) devices.add(new JsonObject().put("devEui", PROBE_EUI));
      else if (!devAddr.endsWith("0")) devices.add(new JsonObject().put("devEui", "00000000" + devAddr));
      if (devAddr.endsWith("1") && !PROBE_DEV_ADDR.equals(devAddr)) devices.add(new JsonObject().put("devEui", "ffffffff" + devAddr));
      message.reply(new JsonObject().put("devices", devices));
    });
    var run = new FuzzRun("semtech-udp");
    var mutator = new Mutator(run.seed);
    var fixture = Fixtures.json("semtech-udp-push-data.json");
    var frame = Base64.getDecoder().decode(fixture.getJsonArray("rxpk").getJsonObject(0).getString("data"));
    int port = gateway.service.udpPort();
    try (var fuzz = new DatagramSocket(); var probe = new DatagramSocket()) {
      probe.setSoTimeout(5000);
      var drain = new Thread(() -> countAcks(fuzz, run), "fuzz-udp-acks");
      drain.setDaemon(true);
      drain.start();
      int probes = 0;
      for (int i = 0; i < FuzzRun.INPUTS; i++) {
        run.progress(i);
        var input = udpInput(mutator, fixture, frame);
        var datagram = input.length > 65_000 ? java.util.Arrays.copyOf(input, 65_000) : input; // the most UDP carries
        fuzz.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
        if (i % VALID_EVERY == VALID_EVERY - 1) probeUdp(run, probe, port, ++probes, i);
      }
      assertThat(run.failures()).as("every valid datagram acknowledged").isEmpty();
    }
    run.refused4xx.set((int) rejected("semtech-udp"));
    assertAfterRun(run, "semtech-udp");
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"internal\"}"))
        .as("no unexpected error while reading a datagram").isZero();
  }

  private static byte[] udpInput(Mutator mutator, JsonObject fixture, byte[] frame) {
    var eui = mutator.chance(0.8) ? "aa555a0000000101" : HexFormat.of().formatHex(mutator.garbage(8)) + "0".repeat(16);
    return switch (mutator.below(10)) {
      case 0, 1, 2, 3 -> datagramOf(mutator.below(65536), 0x00, eui.substring(0, 16), mutator.json(fixture));
      case 4, 5 -> { // a good datagram, a mutated PHYPayload
        var copy = fixture.copy();
        copy.getJsonArray("rxpk").getJsonObject(0).put("data", Base64.getEncoder().encodeToString(mutator.bytes(frame)));
        yield datagramOf(mutator.below(65536), 0x00, eui.substring(0, 16), copy.toBuffer().getBytes());
      }
      case 6, 7 -> mutator.bytes(datagramOf(mutator.below(65536), 0x00, eui.substring(0, 16), fixture.toBuffer().getBytes()));
      case 8 -> datagramOf(mutator.below(65536), mutator.below(8), eui.substring(0, 16), mutator.chance(0.5) ? null : mutator.garbage(64));
      default -> mutator.garbage(mutator.chance(0.9) ? 64 : 4000);
    };
  }

  /** A valid PUSH_DATA (a frame of the probe device, counter {@code n}) or PULL_DATA; its acknowledgement awaited and timed. */
  private void probeUdp(FuzzRun run, DatagramSocket socket, int port, int n, int input) throws Exception {
    boolean push = n % 2 == 1;
    var addr = HexFormat.of().parseHex(PROBE_DEV_ADDR);
    var phy = new byte[] {0x40, addr[3], addr[2], addr[1], addr[0], 0x00, (byte) n, (byte) (n >> 8), 0x02, 0x01, 0x67, 0x00, (byte) 0xeb, 1, 2, 3, 4};
    var rxpk = new JsonObject().put("rxpk", new JsonArray().add(new JsonObject().put("time", "2026-11-29T09:16:55.911Z")
        .put("stat", 1).put("rssi", -50).put("lsnr", 7.5).put("freq", 868.1).put("datr", "SF7BW125").put("codr", "4/5")
        .put("data", Base64.getEncoder().encodeToString(phy))));
    int token = n & 0xFFFF;
    var datagram = datagramOf(token, push ? 0x00 : 0x02, "aa555a0000000102", push ? rxpk.toBuffer().getBytes() : null);
    if (push) accepted.add(String.format("%s-%08x", PROBE_EUI, n));
    long sent = System.nanoTime();
    socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
    var buffer = new byte[64];
    var packet = new DatagramPacket(buffer, buffer.length);
    try {
      do {
        socket.receive(packet);
      } while (((buffer[1] & 0xFF) << 8 | buffer[2] & 0xFF) != token);
    } catch (java.net.SocketTimeoutException e) {
      run.errors5xx.incrementAndGet();
      run.fail(input, "no acknowledgement of the valid " + (push ? "PUSH_DATA" : "PULL_DATA") + " " + n + " within 5 s", datagram);
      return;
    }
    run.latency(System.nanoTime() - sent);
    run.accepted.incrementAndGet();
    if (buffer[3] != (push ? 0x01 : 0x04)) run.fail(input, "wrong acknowledgement identifier " + buffer[3], datagram);
  }

  /** Counts the acknowledgements mutated datagrams got (until the socket closes). */
  private static void countAcks(DatagramSocket socket, FuzzRun run) {
    var buffer = new byte[64];
    try {
      while (true) {
        socket.receive(new DatagramPacket(buffer, buffer.length));
        run.accepted.incrementAndGet();
      }
    } catch (java.io.IOException closed) {
      // the run is over
    }
  }

  // ---------------------------------------------------------------- MQTT

  @Test
  @DisplayName("mutated MQTT uplink payloads on the ChirpStack and TTS topics are dropped and counted, the subscription stays alive and valid uplinks published between them are ingested")
  void mqtt(EmbeddedMqttBroker broker) throws Exception {
    var prefix = "fz" + UUID.randomUUID().toString().substring(0, 8);
    var publisher = startMqttGateway(broker, prefix);
    var run = new FuzzRun("mqtt");
    var mutator = new Mutator(run.seed);
    var chirpstack = List.of(Fixtures.json("chirpstack-v4-up.json"), Fixtures.json("chirpstack-v4-up-first-frame.json"));
    var tts = List.of(Fixtures.json("tts-v3-up.json"), Fixtures.json("tts-v3-up-skip-payload-crypto.json"));
    int probes = 0;
    for (int i = 0; i < FuzzRun.INPUTS; i++) {
      run.progress(i);
      boolean toTts = mutator.chance(0.5);
      var level = mutator.chance(0.8) ? "dev" + mutator.below(100) : topicLevel(mutator);
      var topic = toTts ? prefix + "/v3/app@ttn/devices/" + level + "/up" : prefix + "/application/app/device/" + level + "/event/up";
      var fixtures = mutator.chance(0.9) == toTts ? tts : chirpstack;
      var payload = mutator.chance(0.75) ? mutator.json(mutator.pick(fixtures))
          : mutator.chance(0.9) ? mutator.bytes(mutator.pick(fixtures).toBuffer().getBytes()) : mutator.garbage(512);
      TestGateway.await(publisher.publish(topic, Buffer.buffer(payload), mutator.chance(0.5) ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE,
          false, false));
      if (i % VALID_EVERY == VALID_EVERY - 1) probeMqtt(run, publisher, prefix, ++probes, i);
    }
    assertThat(run.failures()).as("every valid uplink ingested").isEmpty();
    run.refused4xx.set((int) rejected("mqtt"));
    assertAfterRun(run, "mqtt");
    assertThat(gateway.metric("vigie_gateway_mqtt_connected")).as("still connected").isEqualTo(1.0);
    assertThat(gateway.metric("vigie_gateway_uplinks_unacknowledged_total{adapter=\"mqtt\"}")).as("nothing left to the broker").isZero();
  }

  @Test
  @DisplayName("a stream of malformed MQTT messages logs one warning per reason, not one per message (found by the fuzzer: "
      + "every bad message was a warning holding what its sender wrote)")
  void mqttDropsDoNotFloodTheLog(EmbeddedMqttBroker broker) throws Exception {
    var prefix = "fl" + UUID.randomUUID().toString().substring(0, 8);
    var publisher = startMqttGateway(broker, prefix);
    for (int i = 0; i < 50; i++) {
      TestGateway.await(publisher.publish(prefix + "/v3/app@ttn/devices/dev" + i + "/up", Buffer.buffer("not json " + i),
          MqttQoS.AT_LEAST_ONCE, false, false));
    }
    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"mqtt\",reason=\"malformed\"}") == 50.0);
    assertThat(LOGS.lines.stream().filter(line -> line.contains("MQTT message on " + prefix)).count())
        .as("one warning for 50 malformed messages").isEqualTo(1);
  }

  private MqttClient startMqttGateway(EmbeddedMqttBroker broker, String prefix) throws Exception {
    startGateway(Map.of("mqtt.url", broker.url(), "mqtt.clientId", "vigie-fuzz-" + prefix, "udp.port", "off",
        "mqtt.topics.chirpstack", prefix + "/application/+/device/+/event/up", "mqtt.topics.tts", prefix + "/v3/+/devices/+/up"));
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.readinessStatus() == 200);
    var publisher = MqttClient.create(clientVertx, new MqttClientOptions().setClientId("pub-" + prefix)
        .setMaxMessageSize(1024 * 1024).setMaxInflightQueue(100_000));
    TestGateway.await(publisher.connect(broker.port(), "127.0.0.1"));
    return publisher;
  }

  /** A valid uplink of the probe device (counter {@code n}), alternately ChirpStack and TTS; its ingestion awaited and timed. */
  private void probeMqtt(FuzzRun run, MqttClient publisher, String prefix, int n, int input) throws Exception {
    var id = String.format("%s-%08x", PROBE_EUI, n);
    var ingestedAt = new CompletableFuture<Long>();
    waiting.put(id, ingestedAt);
    accepted.add(id);
    JsonObject body;
    String topic;
    if (n % 2 == 0) {
      body = Fixtures.json("chirpstack-v4-up.json").put("fCnt", n);
      body.getJsonObject("deviceInfo").put("devEui", PROBE_EUI);
      topic = prefix + "/application/app/device/" + PROBE_EUI + "/event/up";
    } else {
      body = Fixtures.json("tts-v3-up.json");
      body.getJsonObject("end_device_ids").put("dev_eui", PROBE_EUI);
      body.getJsonObject("uplink_message").put("f_cnt", n);
      topic = prefix + "/v3/app@ttn/devices/probe/up";
    }
    long sent = System.nanoTime();
    TestGateway.await(publisher.publish(topic, body.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false));
    try {
      run.latency(ingestedAt.get(10, TimeUnit.SECONDS) - sent);
      run.accepted.incrementAndGet();
    } catch (java.util.concurrent.TimeoutException e) {
      run.errors5xx.incrementAndGet();
      run.fail(input, "the valid uplink " + id + " was not ingested within 10 s", body.toBuffer().getBytes());
    }
  }

  private static String topicLevel(Mutator mutator) {
    var level = new StringBuilder();
    for (char c : mutator.string(1 + mutator.below(30)).toCharArray()) {
      if (c != '/' && c != '+' && c != '#' && c != 0 && !Character.isSurrogate(c)) level.append(c);
    }
    return level.isEmpty() ? "x" : level.toString();
  }

  // ---------------------------------------------------------------- shared

  private void startGateway(Map<String, Object> settings) throws Exception {
    var all = new java.util.HashMap<String, Object>(Map.of("ingest.dedupWindowMs", 0));
    all.putAll(settings);
    gateway = TestGateway.start(all);
    clientVertx = Vertx.vertx();
    TestGateway.await(gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      long now = System.nanoTime();
      TestGateway.uplinksOf(message).forEach(uplink -> {
        var id = ((JsonObject) uplink).getString("id");
        ingested.add(id);
        var waiter = waiting.remove(id);
        if (waiter != null) waiter.complete(now);
      });
      TestGateway.ack(message);
    }).completion());
  }

  /** The checks every run ends with; the summary written and printed first. */
  private void assertAfterRun(FuzzRun run, String adapter) throws Exception {
    var summary = run.finish();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(ingested).as("every accepted uplink reached the log and the decoder").containsAll(accepted));
    assertThat(run.failures()).as("failures (replay with -Dvigie.fuzz.seed=" + run.seed + ")").isEmpty();
    assertThat(summary.getInteger("errors5xx")).isZero();
    assertThat(summary.getDouble("p99LatencyMs")).as("p99 latency (ms)").isLessThan(P99_BOUND_MS);
    assertThat(summary.getDouble("heapGrowthMiB")).as("heap growth after GC (MiB)").isLessThan(HEAP_MARGIN_MIB);
    assertThat(gateway.readinessStatus()).as("still ready").isEqualTo(200);
    assertThat(rejected(adapter)).as("invalid inputs counted").isPositive();
    assertThat(LOGS.lines).as("no log line holds the integration secret").noneMatch(line -> line.contains(TestGateway.SECRET));
  }

  /** The sum of {@code vigie_gateway_uplinks_rejected_total} of the adapter, every reason. */
  private double rejected(String adapter) throws Exception {
    var text = TestGateway.await(gateway.client.get(gateway.running.port(), "localhost", "/metrics").send()).bodyAsString();
    var series = "vigie_gateway_uplinks_rejected_total{adapter=\"" + adapter + "\"";
    return text.lines().filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static String abbreviate(String text) {
    return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
