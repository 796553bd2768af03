package io.vigie.decoder;

import static io.vigie.decoder.AbpFixture.AT;
import static io.vigie.decoder.AbpFixture.LPP_23_5;
import static io.vigie.decoder.AbpFixture.LPP_24_0;
import static io.vigie.decoder.AbpFixture.STRANGER;
import static io.vigie.decoder.AbpFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.common.Addresses;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.RedisFrameCounters;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decoder's side of the ingest log's batches (ADR 0005): fates in request order, a device's frames checked in
 * batch order, the replay window, and one pipelined Redis round trip per batch (counted by a wrapper around the
 * real Redis client). Stand-ins for the registry and the enrichment (which answers codec-error for a measurement
 * with errors, duplicate for an id it has seen, stored otherwise).
 */
@ExtendWith(VertxExtension.class)
@RealRedis
@DisplayName("The decoder with batches from the ingest log")
class BatchTest {
  private Vertx vertx;
  private EmbeddedRedis redis;
  private final AbpFixture abp = new AbpFixture();
  /** Round trips to Redis: one per send, one per batch (a pipeline). */
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final List<Measurement> stored = new CopyOnWriteArrayList<>();
  private final List<String> storedIds = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis redis) throws Exception {
    this.vertx = vertx;
    this.redis = redis;
    await(abp.serveRegistry(vertx));
    await(Batches.storingOnce(vertx, measurement -> {
      stored.add(measurement);
      storedIds.add(measurement.id());
    }));
  }

  @Test
  @DisplayName("with a window of 32, a late counter never seen is accepted once; the same frame again is a duplicate; other content, or a counter below the window, is a replay")
  void replayWindow() throws Exception {
    deploy(32);
    assertThat(send(abp.networkServer(100, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);

    assertThat(send(abp.networkServer(90, 1, LPP_23_5))).as("late, never seen, within 32").isEqualTo(UplinkStatus.STORED);
    assertThat(send(abp.networkServer(90, 1, LPP_23_5))).as("the same frame again").isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(send(abp.networkServer(90, 1, LPP_24_0))).as("the same counter, other content").isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(abp.networkServer(68, 1, LPP_23_5))).as("32 below the highest: still inside").isEqualTo(UplinkStatus.STORED);
    assertThat(send(abp.networkServer(67, 1, LPP_23_5))).as("33 below the highest: outside").isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(abp.networkServer(101, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    assertThat(storedIds).containsExactly(id(100), id(90), id(68), id(101));
  }

  @Test
  @DisplayName("with a window of 0 (strict), any counter not above the highest accepted is a replay, but the same frame again is a duplicate")
  void strictWindow() throws Exception {
    deploy(0);
    send(abp.networkServer(100, 1, LPP_23_5));

    assertThat(send(abp.networkServer(99, 1, LPP_23_5))).isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(abp.networkServer(100, 1, LPP_23_5))).isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(storedIds).containsExactly(id(100));
  }

  @Test
  @DisplayName("a batch with mixed fates answers one fate per uplink, in request order: stored, unknown-device, mic-failed, replay, codec-error, stored")
  void mixedFates() throws Exception {
    deploy(32);
    var forged = abp.forged(12, LPP_23_5);
    var batch = List.of(
        abp.networkServer(10, 1, LPP_23_5),
        new Uplink(STRANGER, 3, 1, LPP_23_5, false, null, AT, "chirpstack-v4", List.of()),
        abp.udp(forged, 12),
        abp.networkServer(10, 1, LPP_24_0),
        abp.networkServer(11, 1, "0167"),
        abp.udp(13, LPP_24_0));

    var fates = sendAll(batch);

    assertThat(fates).extracting(UplinkFate::status).containsExactly(UplinkStatus.STORED, UplinkStatus.UNKNOWN_DEVICE,
        UplinkStatus.MIC_FAILED, UplinkStatus.REPLAY, UplinkStatus.CODEC_ERROR, UplinkStatus.STORED);
    assertThat(fates).extracting(UplinkFate::id)
        .containsExactly(id(10), STRANGER + "-00000003", id(12), id(10), id(11), id(13));
    assertThat(fates.get(4).reason()).startsWith("cayenne-lpp: truncated frame");
    assertThat(fates.get(5).fCnt()).as("the raw frame's full counter").isEqualTo(13);
    assertThat(storedIds).containsExactly(id(10), id(11), id(13));
  }

  @Test
  @DisplayName("20 raw frames of one device across a 16-bit rollover in one batch are reconstructed, checked and stored in order, then 20 more across two batches")
  void orderedFrames() throws Exception {
    deploy(0);
    var first = LongStream.range(0xFFF6L, 0xFFF6L + 20).mapToObj(n -> abp.udp(n, LPP_23_5)).toList();

    var fates = sendAll(first);

    assertThat(fates).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
    assertThat(fates).extracting(UplinkFate::fCnt).containsExactlyElementsOf(LongStream.range(0xFFF6L, 0xFFF6L + 20).boxed().toList());
    var next = LongStream.range(0xFFF6L + 20, 0xFFF6L + 40).mapToObj(n -> abp.udp(n, LPP_24_0)).toList();
    assertThat(sendAll(next.subList(0, 10))).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
    assertThat(sendAll(next.subList(10, 20))).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
    assertThat(stored).extracting(Measurement::fCnt)
        .as("stored in the order accepted, with strict counters: no frame overtook another")
        .containsExactlyElementsOf(LongStream.range(0xFFF6L, 0xFFF6L + 40).boxed().toList());
  }

  @Test
  @DisplayName("the replay guard of a batch is ONE pipelined Redis round trip of EVALSHA (raw 16-bit frames: one more for the last counters), never EVAL")
  void oneRoundTripPerBatch() throws Exception {
    deploy(32);
    sendAll(List.of(abp.networkServer(1, 1, LPP_23_5))); // loads the script
    var info = Redis.createClient(vertx, redis.url());
    long evalBefore = calls(info, "eval");

    roundTrips.set(0);
    sendAll(LongStream.range(2, 22).mapToObj(n -> abp.networkServer(n, 1, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 network-server uplinks").isEqualTo(1);

    roundTrips.set(0);
    sendAll(LongStream.range(22, 42).mapToObj(n -> abp.udp(n, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 raw frames: last counters, then the guard").isEqualTo(2);

    assertThat(calls(info, "evalsha")).isGreaterThanOrEqualTo(41);
    assertThat(calls(info, "eval")).as("the script text is never sent per uplink").isEqualTo(evalBefore);
    assertThat(storedIds).hasSize(41);
  }

  @Test
  @DisplayName("after SCRIPT FLUSH (a Redis restart or fail-over), the script is loaded again and the batch checked")
  void scriptReloaded() throws Exception {
    deploy(32);
    send(abp.networkServer(1, 1, LPP_23_5));
    var admin = Redis.createClient(vertx, redis.url());
    await(admin.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    assertThat(send(abp.networkServer(2, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    assertThat(send(abp.networkServer(2, 1, LPP_24_0))).isEqualTo(UplinkStatus.REPLAY);
  }

  // ---------------------------------------------------------------- helpers

  private void deploy(int window) throws Exception {
    var vigie = VigieConfig.from(new JsonObject().put("bus", new JsonObject().put("requestTimeout", 5000))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("decoder", new JsonObject().put("replayWindow", window)));
    var config = DecoderConfig.from(vigie);
    var meters = new SimpleMeterRegistry();
    var counting = new CountingRedis(Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())), roundTrips);
    var verticle = new DecoderVerticle(config, new DecoderMetrics(meters), new RedisFrameCounters(counting, config.replayWindow()),
        new RegistryClient(vertx, RegistryClientConfig.from(vigie), meters, "decoder"), new UplinkDecoder(),
        vertx.createSharedWorkerExecutor("batch-test-codecs", 2), counting::close);
    await(vertx.deployVerticle(verticle));
  }

  /** How many times Redis ran this command (INFO commandstats). */
  private static long calls(Redis info, String command) throws Exception {
    var stats = await(info.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    for (var line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        return Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*$", "$1"));
      }
    }
    return 0;
  }

  /** The real client, counting round trips: each send and each batch (pipeline). */
  private record CountingRedis(Redis redis, AtomicInteger roundTrips) implements Redis {
    @Override
    public Future<RedisConnection> connect() {
      return redis.connect();
    }

    @Override
    public Future<Void> close() {
      return redis.close();
    }

    @Override
    public Future<Response> send(Request command) {
      roundTrips.incrementAndGet();
      return redis.send(command);
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
      roundTrips.incrementAndGet();
      return redis.batch(commands);
    }
  }

  private String id(long fCnt) {
    return String.format("%s-%08x", abp.devEui, fCnt);
  }

  private UplinkStatus send(Uplink uplink) throws Exception {
    return sendAll(List.of(uplink)).get(0).status();
  }

  private List<UplinkFate> sendAll(List<Uplink> uplinks) throws Exception {
    var fates = Batches.fates(await(vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(new ArrayList<>(uplinks)))));
    assertThat(fates).hasSameSizeAs(uplinks);
    return fates;
  }
}
