package io.vigie.decoder;

import static io.vigie.decoder.AbpFixture.APP_S_KEY;
import static io.vigie.decoder.AbpFixture.AT;
import static io.vigie.decoder.AbpFixture.LPP_23_5;
import static io.vigie.decoder.AbpFixture.LPP_24_0;
import static io.vigie.decoder.AbpFixture.NWK_S_KEY;
import static io.vigie.decoder.AbpFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.VertxExtension;
import io.vigie.common.Addresses;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Vigie's LoRaWAN security in the pipeline: an ABP device whose payload arrives encrypted, on a real local event bus
 * and a real Redis. Test consumers stand in for the registry ({@code registry.device.context} and
 * {@code registry.device.keys}) and for the enrichment (which answers duplicate for an uplink id it has seen).
 */
@ExtendWith(VertxExtension.class)
@RealRedis
@DisplayName("The decoder with an ABP device")
class AbpPipelineTest {

  private Vertx vertx;
  private EmbeddedRedis redis;
  private SimpleMeterRegistry meters;
  private final AbpFixture abp = new AbpFixture();
  private final String devEui = abp.devEui;
  private final BlockingQueue<Measurement> stored = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> security = new LinkedBlockingQueue<>();
  private final Set<String> storedIds = ConcurrentHashMap.newKeySet();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger vigieLogger;
  private Level vigieLevel;

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis redis) throws Exception {
    this.vertx = vertx;
    this.redis = redis;
    meters = new SimpleMeterRegistry();
    vigieLogger = (Logger) LoggerFactory.getLogger("io.vigie");
    vigieLevel = vigieLogger.getLevel();
    vigieLogger.setLevel(Level.DEBUG);
    logs.start();
    vigieLogger.addAppender(logs);
    await(abp.serveRegistry(vertx));
    await(Batches.storingOnce(vertx, measurement -> {
      storedIds.add(measurement.id());
      stored.add(measurement);
    }));
    await(vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_SECURITY, m -> security.add(m.body())).completion());
  }

  @AfterEach
  void keysNeverLogged() {
    vigieLogger.detachAppender(logs);
    vigieLogger.setLevel(vigieLevel);
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage().toLowerCase())
        .doesNotContain(APP_S_KEY).doesNotContain(NWK_S_KEY));
  }

  @Test
  @DisplayName("an encrypted payload from a network server is decrypted with the AppSKey and decoded to 23.5 Cel")
  void networkServerPayload() throws Exception {
    deploy("reject");

    var reply = send(abp.networkServer(0x1_0005L, 1, LPP_23_5));

    assertThat(reply.id()).isEqualTo(devEui + "-00010005");
    assertThat(reply.status()).isEqualTo(UplinkStatus.STORED);
    var measurement = stored.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.fCnt()).isEqualTo(0x1_0005L);
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
    assertThat(measurement.errors()).isEmpty();
    assertThat(counter("vigie.decoder.abp.uplinks", "result", "accepted")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a payload the source already decrypted, for an ABP device, is decoded as given, counted and stored with a warning")
  void abpButAlreadyDecrypted() throws Exception {
    deploy("reject");
    var clear = new Uplink(devEui, 12, 1, LPP_23_5, false, null, AT, "thingpark", List.of());

    var reply = send(clear);

    assertThat(reply.id()).isEqualTo(devEui + "-0000000c");
    var measurement = stored.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
    assertThat(measurement.warnings()).singleElement().asString()
        .startsWith("activation mismatch: the device is registered ABP").contains("thingpark forwarded the payload already decrypted");
    assertThat(counter("vigie.decoder.activation.mismatches", "kind", "abp_clear")).isEqualTo(1.0);
    assertThat(counter("vigie.decoder.abp.uplinks", "result", "accepted")).as("not through Vigie's decryption").isZero();
  }

  @Test
  @DisplayName("whole frames with 16-bit counters are MIC-checked, decrypted and stored under their full counter across a rollover")
  void udpFrames() throws Exception {
    deploy("reject");

    send(abp.udp(0xFFFEL, LPP_23_5));
    var reply = send(abp.udp(0x1_0003L, LPP_24_0));

    assertThat(reply.id()).as("the raw frame's fate carries its full counter").isEqualTo(devEui + "-00010003");
    assertThat(reply.fCnt()).isEqualTo(0x1_0003L);
    assertThat(stored.poll(5, TimeUnit.SECONDS).id()).isEqualTo(devEui + "-0000fffe");
    var measurement = stored.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.fCnt()).isEqualTo(0x1_0003L);
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 24.0, 1));
  }

  @Test
  @DisplayName("a forged frame gets the fate mic-failed, is not stored, counted and published; the counter does not move")
  void forgedMic() throws Exception {
    deploy("reject");
    send(abp.udp(40, LPP_23_5));
    stored.poll(5, TimeUnit.SECONDS);
    var forged = abp.forged(41, LPP_24_0);

    var fate = send(abp.udp(forged, 41));

    assertThat(fate.status()).isEqualTo(UplinkStatus.MIC_FAILED);
    assertThat(fate.reason()).startsWith("MIC check failed");
    var event = security.poll(5, TimeUnit.SECONDS);
    assertThat(event.getString("kind")).isEqualTo("mic-failure");
    assertThat(event.getString("devEui")).isEqualTo(devEui);
    assertThat(event.getString("tenant")).isEqualTo("acme");
    assertThat(event.getLong("fCnt")).isEqualTo(41L);
    assertThat(event.getString("receivedAt")).isEqualTo(AT.toString());
    assertThat(event.getString("source")).isEqualTo("semtech-udp");
    assertThat(event.getString("detail")).startsWith("MIC check failed");
    assertThat(counter("vigie.decoder.security.events", "kind", "mic-failure")).isEqualTo(1.0);
    assertThat(counter("vigie.decoder.uplinks.refused", "reason", "mic_failure")).isEqualTo(1.0);
    // the genuine frame 41 still passes: the forged one did not advance the counter
    assertThat(send(abp.udp(41, LPP_24_0)).status()).isEqualTo(UplinkStatus.STORED);
    assertThat(stored.poll(5, TimeUnit.SECONDS).id()).isEqualTo(devEui + "-00000029");
    assertThat(stored).isEmpty();
  }

  @Test
  @DisplayName("with the strict rule (window 0), an older counter gets the fate replay, is not stored, counted and published")
  void replay() throws Exception {
    deploy("reject");
    send(abp.networkServer(0x2_0010L, 1, LPP_23_5));
    send(abp.udp(0x2_0011L, LPP_23_5));
    stored.clear();

    var fate = send(abp.networkServer(0x2_000FL, 1, LPP_23_5));

    assertThat(fate.status()).isEqualTo(UplinkStatus.REPLAY);
    assertThat(fate.reason()).isEqualTo("replay: counter 131087 was seen before with other content or is below the replay"
        + " window (highest accepted 131089)");
    var event = security.poll(5, TimeUnit.SECONDS);
    assertThat(event.getString("kind")).isEqualTo("replay");
    assertThat(event.getLong("fCnt")).isEqualTo(0x2_000FL);
    assertThat(event.getString("detail")).isEqualTo(fate.reason());
    assertThat(counter("vigie.decoder.security.events", "kind", "replay")).isEqualTo(1.0);
    assertThat(counter("vigie.decoder.uplinks.refused", "reason", "replay")).isEqualTo(1.0);
    assertThat(stored).isEmpty();
  }

  @Test
  @DisplayName("the first 16-bit frame of a device whose counter is already above 65535 fails its MIC (documented limit)")
  void firstFrameAbove65535() throws Exception {
    deploy("reject");

    var fate = send(abp.udp(0x1_0001L, LPP_23_5));

    assertThat(fate.status()).isEqualTo(UplinkStatus.MIC_FAILED);
    assertThat(fate.reason()).isEqualTo("MIC check failed (counter 1)");
  }

  @Test
  @DisplayName("another frame with the last accepted counter is a replay, even from a network server")
  void sameCounterOtherContent() throws Exception {
    deploy("reject");
    send(abp.networkServer(7, 1, LPP_23_5));

    assertThat(send(abp.networkServer(7, 1, LPP_24_0)).status()).isEqualTo(UplinkStatus.REPLAY);
    assertThat(security.poll(5, TimeUnit.SECONDS).getString("kind")).isEqualTo("replay");
  }

  @Test
  @DisplayName("the very same uplink delivered again passes, and the enrichment answers duplicate, even after a newer one")
  void redelivery() throws Exception {
    deploy("reject");
    send(abp.networkServer(0x3_0000L, 1, LPP_23_5)); // a counter above 65535 must be known before 16-bit frames
    var first = abp.udp(0x3_0001L, LPP_23_5);
    send(first);
    send(abp.udp(0x3_0002L, LPP_24_0));

    var again = send(first);
    var afterNewer = send(abp.networkServer(0x3_0001L, 1, LPP_23_5));

    assertThat(again.id()).isEqualTo(devEui + "-00030001");
    assertThat(again.status()).isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(afterNewer.status()).isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(counter("vigie.decoder.abp.uplinks", "result", "redelivery")).isEqualTo(2.0);
    assertThat(storedIds).hasSize(3);
    assertThat(security).isEmpty();
  }

  @Test
  @DisplayName("with decoder.fcntReset accept-reset, a device that reboots to counter 0 is accepted and the reset published")
  void resetAccepted() throws Exception {
    deploy("accept-reset");
    send(abp.networkServer(500, 1, LPP_23_5));
    send(abp.udp(501, LPP_23_5));
    assertThat(send(abp.networkServer(3, 1, LPP_23_5)).status()).as("counter 3 is no restart").isEqualTo(UplinkStatus.REPLAY);
    assertThat(security.poll(5, TimeUnit.SECONDS).getString("kind")).isEqualTo("replay");

    var reply = send(abp.udp(0, LPP_24_0));
    var next = send(abp.udp(1, LPP_24_0));

    assertThat(reply.id()).isEqualTo(devEui + "-00000000");
    assertThat(reply.status()).isEqualTo(UplinkStatus.STORED);
    assertThat(next.id()).isEqualTo(devEui + "-00000001");
    var event = security.poll(5, TimeUnit.SECONDS);
    assertThat(event.getString("kind")).isEqualTo("fcnt-reset");
    assertThat(event.getString("detail")).isEqualTo("counter restarted at 0 after 501: accepted as a device reboot");
    assertThat(counter("vigie.decoder.abp.uplinks", "result", "reset")).isEqualTo(1.0);
    assertThat(counter("vigie.decoder.security.events", "kind", "fcnt-reset")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("with the default reject policy, a device that reboots to counter 0 is refused as a replay")
  void resetRejected() throws Exception {
    deploy("reject");
    send(abp.networkServer(500, 1, LPP_23_5));

    assertThat(send(abp.networkServer(0, 1, LPP_24_0)).status()).isEqualTo(UplinkStatus.REPLAY);
    assertThat(security.poll(5, TimeUnit.SECONDS).getString("kind")).isEqualTo("replay");
  }

  @Test
  @DisplayName("two different frames with the same counter delivered at once: exactly one is stored, the other ends a replay (its batch may first fail 503 on the guard's commit, and is sent again)")
  void concurrentSameCounter() throws Exception {
    deploy("reject");
    send(abp.networkServer(9, 1, LPP_23_5));
    stored.clear();

    var a = untilAnswered(abp.networkServer(10, 1, LPP_23_5), 3);
    var b = untilAnswered(abp.networkServer(10, 1, LPP_24_0), 3);
    await(Future.all(a, b));

    assertThat(List.of(a.result().status(), b.result().status())).filteredOn(UplinkStatus.REPLAY::equals).hasSize(1);
    assertThat(stored.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(stored).isEmpty();
    assertThat(security.poll(5, TimeUnit.SECONDS).getString("kind")).isEqualTo("replay");
  }

  @Test
  @DisplayName("the same frame delivered twice at once: both pass, one stored and one answered duplicate")
  void concurrentRedelivery() throws Exception {
    deploy("reject");
    var uplink = abp.udp(12, LPP_23_5);

    var a = vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplink));
    var b = vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplink));
    await(Future.all(a, b));

    assertThat(List.of(Batches.fates(a.result()).get(0).status(), Batches.fates(b.result()).get(0).status()))
        .containsExactlyInAnyOrder(UplinkStatus.STORED, UplinkStatus.DUPLICATE);
  }

  @Test
  @DisplayName("session keys are cached, and fetched again after registry.changed for the device")
  void keysCached() throws Exception {
    deploy("reject");
    send(abp.networkServer(1, 1, LPP_23_5));
    send(abp.networkServer(2, 1, LPP_23_5));
    assertThat(abp.keyRequests.get()).isEqualTo(1);

    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("kind", "device").put("id", devEui));
    send(abp.networkServer(3, 1, LPP_23_5));

    assertThat(abp.keyRequests.get()).isEqualTo(2);
    assertThat(counter("vigie.registry.cache.misses", "service", "decoder", "cache", "session-keys")).isEqualTo(2.0);
  }

  @Test
  @DisplayName("when the registry has no keys for the device (409), a network server's payload is stored undecoded with the reason")
  void noKeys() throws Exception {
    deploy("reject");
    abp.keysRefused.set(true);

    send(abp.networkServer(4, 1, LPP_23_5));

    var measurement = stored.poll(5, TimeUnit.SECONDS);
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).singleElement().asString()
        .contains("no usable session keys").contains("device is not ABP");
  }

  @Test
  @DisplayName("a raw frame for which the registry has no keys cannot be authenticated: fate mic-failed, not stored")
  void noKeysRawFrame() throws Exception {
    deploy("reject");
    abp.keysRefused.set(true);

    var fate = send(abp.udp(4, LPP_23_5));

    assertThat(fate.status()).isEqualTo(UplinkStatus.MIC_FAILED);
    assertThat(fate.reason())
        .isEqualTo("the frame cannot be authenticated: the registry gave no usable session keys (device is not ABP)");
    assertThat(counter("vigie.decoder.uplinks.refused", "reason", "no_keys")).isEqualTo(1.0);
    assertThat(stored).isEmpty();
  }

  @Test
  @DisplayName("without Redis the batch is answered 503 (sent again by the ingest log) and readiness is down")
  void redisDown(Vertx vertx) throws Exception {
    var health = HealthChecks.create(vertx);
    var config = VigieConfig.from(new JsonObject().put("bus", new JsonObject().put("requestTimeout", 2000))
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:1")));
    await(new DecoderService().deploy(vertx, config, new ServiceContext("decoder", health, meters)));

    var failure = failure(abp.networkServer(4, 1, LPP_23_5));
    var ready = await(health.checkStatus());

    assertThat(failure.failureCode()).isEqualTo(503);
    assertThat(failure.getMessage()).isEqualTo("the frame counters (Redis) did not answer");
    assertThat(ready.getUp()).isFalse();
    assertThat(stored).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /** The decoder with the strict replay guard (window 0), as the older tests expect. */
  private void deploy(String fcntReset) throws Exception {
    deploy(fcntReset, 0);
  }

  private void deploy(String fcntReset, int replayWindow) throws Exception {
    var config = VigieConfig.from(new JsonObject().put("bus", new JsonObject().put("requestTimeout", 2000))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("decoder", new JsonObject().put("fcntReset", fcntReset).put("replayWindow", replayWindow)));
    await(new DecoderService().deploy(vertx, config, new ServiceContext("decoder", HealthChecks.create(vertx), meters)));
  }

  /** A batch of one uplink; its fate. */
  private UplinkFate send(Uplink uplink) throws Exception {
    return sendAll(List.of(uplink)).get(0);
  }

  private List<UplinkFate> sendAll(List<Uplink> uplinks) throws Exception {
    var fates = Batches.fates(await(vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplinks))));
    assertThat(fates).hasSameSizeAs(uplinks);
    return fates;
  }

  /** The uplink's fate, its batch sent again on 503 like the gateway does, at most {@code tries} times. */
  private Future<UplinkFate> untilAnswered(Uplink uplink, int tries) {
    return vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(uplink))
        .map(reply -> Batches.fates(reply).get(0))
        .recover(failure -> tries > 1 && failure instanceof ReplyException reply && reply.failureCode() == 503
            ? untilAnswered(uplink, tries - 1) : Future.failedFuture(failure));
  }

  private ReplyException failure(Uplink uplink) {
    var failure = catchThrowable(() -> send(uplink));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  private double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0.0 : counter.count();
  }
}
