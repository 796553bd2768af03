package io.vigie.decoder;

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
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.RedisFrameCounters;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.LorawanCrypto;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import io.vigie.testing.RealRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  private static final HexFormat HEX = HexFormat.of();
  private static final Instant AT = Instant.parse("2026-11-29T09:34:15.775Z");
  private static final String APP_S_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final String NWK_S_KEY = "000102030405060708090a0b0c0d0e0f";
  private static final String LPP_23_5 = "016700eb";
  private static final String LPP_24_0 = "016700f0";
  private static final String STRANGER = "0303030303030303";

  private Vertx vertx;
  private EmbeddedRedis redis;
  private String devEui;
  private int devAddr;
  /** Round trips to Redis: one per send, one per batch (a pipeline). */
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final List<Measurement> stored = new CopyOnWriteArrayList<>();
  private final List<String> storedIds = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis redis) throws Exception {
    this.vertx = vertx;
    this.redis = redis;
    devEui = String.format("%016x", ThreadLocalRandom.current().nextLong());
    devAddr = ThreadLocalRandom.current().nextInt();
    startRegistry();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_DECODED, message -> {
      var uplinks = Batch.fromJson(message.body(), Batch.UPLINKS,
          DecodedUplink::fromJson);
      message.reply(Batch.toJson(Batch.RESULTS, uplinks, uplink -> {
        var m = uplink.measurement();
        var fresh = !storedIds.contains(m.id());
        if (fresh) {
          storedIds.add(m.id());
          stored.add(m);
        }
        var status = !fresh ? UplinkStatus.DUPLICATE : m.errors().isEmpty() ? UplinkStatus.STORED : UplinkStatus.CODEC_ERROR;
        return new UplinkFate(m.id(), m.devEui(), m.fCnt(), m.receivedAt(), m.source(), status,
            m.errors().isEmpty() ? null : String.join("; ", m.errors()), m.measurements()).toJson();
      }));
    }).completion());
  }

  @Test
  @DisplayName("with a window of 32, a late counter never seen is accepted once; the same frame again is a duplicate; other content, or a counter below the window, is a replay")
  void replayWindow() throws Exception {
    deploy(32);
    assertThat(send(networkServer(100, LPP_23_5))).isEqualTo(UplinkStatus.STORED);

    assertThat(send(networkServer(90, LPP_23_5))).as("late, never seen, within 32").isEqualTo(UplinkStatus.STORED);
    assertThat(send(networkServer(90, LPP_23_5))).as("the same frame again").isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(send(networkServer(90, LPP_24_0))).as("the same counter, other content").isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(networkServer(68, LPP_23_5))).as("32 below the highest: still inside").isEqualTo(UplinkStatus.STORED);
    assertThat(send(networkServer(67, LPP_23_5))).as("33 below the highest: outside").isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(networkServer(101, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    assertThat(storedIds).containsExactly(id(100), id(90), id(68), id(101));
  }

  @Test
  @DisplayName("with a window of 0 (strict), any counter not above the highest accepted is a replay, but the same frame again is a duplicate")
  void strictWindow() throws Exception {
    deploy(0);
    send(networkServer(100, LPP_23_5));

    assertThat(send(networkServer(99, LPP_23_5))).isEqualTo(UplinkStatus.REPLAY);
    assertThat(send(networkServer(100, LPP_23_5))).isEqualTo(UplinkStatus.DUPLICATE);
    assertThat(storedIds).containsExactly(id(100));
  }

  @Test
  @DisplayName("a batch with mixed fates answers one fate per uplink, in request order: stored, unknown-device, mic-failed, replay, codec-error, stored")
  void mixedFates() throws Exception {
    deploy(32);
    var forged = DataFrames.uplink(devAddr, 12, 1, HEX.parseHex(LPP_23_5), HEX.parseHex(APP_S_KEY),
        HEX.parseHex("ffeeddccbbaa99887766554433221100"));
    var batch = List.of(
        networkServer(10, LPP_23_5),
        new Uplink(STRANGER, 3, 1, LPP_23_5, false, null, AT, "chirpstack-v4", List.of()),
        udp(forged, 12),
        networkServer(10, LPP_24_0),
        networkServer(11, "0167"),
        udp(13, LPP_24_0));

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
    var first = LongStream.range(0xFFF6L, 0xFFF6L + 20).mapToObj(n -> udp(n, LPP_23_5)).toList();

    var fates = sendAll(first);

    assertThat(fates).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
    assertThat(fates).extracting(UplinkFate::fCnt).containsExactlyElementsOf(LongStream.range(0xFFF6L, 0xFFF6L + 20).boxed().toList());
    var next = LongStream.range(0xFFF6L + 20, 0xFFF6L + 40).mapToObj(n -> udp(n, LPP_24_0)).toList();
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
    sendAll(List.of(networkServer(1, LPP_23_5))); // loads the script
    var info = Redis.createClient(vertx, redis.url());
    long evalBefore = calls(info, "eval");

    roundTrips.set(0);
    sendAll(LongStream.range(2, 22).mapToObj(n -> networkServer(n, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 network-server uplinks").isEqualTo(1);

    roundTrips.set(0);
    sendAll(LongStream.range(22, 42).mapToObj(n -> udp(n, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 raw frames: last counters, then the guard").isEqualTo(2);

    assertThat(calls(info, "evalsha")).isGreaterThanOrEqualTo(41);
    assertThat(calls(info, "eval")).as("the script text is never sent per uplink").isEqualTo(evalBefore);
    assertThat(storedIds).hasSize(41);
  }

  @Test
  @DisplayName("after SCRIPT FLUSH (a Redis restart or fail-over), the script is loaded again and the batch checked")
  void scriptReloaded() throws Exception {
    deploy(32);
    send(networkServer(1, LPP_23_5));
    var admin = Redis.createClient(vertx, redis.url());
    await(admin.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    assertThat(send(networkServer(2, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    assertThat(send(networkServer(2, LPP_24_0))).isEqualTo(UplinkStatus.REPLAY);
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

  private void startRegistry() throws Exception {
    await(vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var eui = message.body().getString("devEui");
      if (STRANGER.equals(eui)) {
        message.fail(404, "unknown device " + eui);
        return;
      }
      message.reply(new DeviceContext(eui, "acme", "Fridge 12 probe", "probe", "fridge-12", "ABP",
          new JsonObject().put("id", "probe").put("name", "Probe").put("codec", new JsonObject().put("kind", "cayenne-lpp")),
          List.of(new PathElement("acme", "tenant", "ACME"))).toJson());
    }).completion());
    await(vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_KEYS, message ->
        message.reply(new JsonObject().put("devEui", message.body().getString("devEui"))
            .put("devAddr", String.format("%08x", devAddr)).put("appSKey", APP_S_KEY).put("nwkSKey", NWK_S_KEY))).completion());
  }

  private String id(long fCnt) {
    return String.format("%s-%08x", devEui, fCnt);
  }

  private UplinkStatus send(Uplink uplink) throws Exception {
    return sendAll(List.of(uplink)).get(0).status();
  }

  private List<UplinkFate> sendAll(List<Uplink> uplinks) throws Exception {
    var fates = Batches.fates(await(vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(new ArrayList<>(uplinks)))));
    assertThat(fates).hasSameSizeAs(uplinks);
    return fates;
  }

  /** As the Semtech UDP path gives it: the whole frame and its 16-bit counter. */
  private Uplink udp(long fCnt32, String plainHex) {
    return udp(DataFrames.uplink(devAddr, fCnt32, 1, HEX.parseHex(plainHex), HEX.parseHex(APP_S_KEY),
        HEX.parseHex(NWK_S_KEY)), fCnt32 & 0xFFFF);
  }

  private Uplink udp(byte[] frame, long fCnt) {
    return new Uplink(devEui, fCnt, 1, HEX.formatHex(frame, 9, frame.length - 4), null, String.format("%08x", devAddr),
        AT, "semtech-udp", List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5)), HEX.formatHex(frame));
  }

  /** As a network server that did not decrypt gives it: 32-bit counter, encrypted FRMPayload. */
  private Uplink networkServer(long fCnt32, String plainHex) {
    var encrypted = LorawanCrypto.cipher(HEX.parseHex(APP_S_KEY), true, devAddr, fCnt32, HEX.parseHex(plainHex));
    return new Uplink(devEui, fCnt32, 1, HEX.formatHex(encrypted), true, String.format("%08x", devAddr), AT,
        "chirpstack-v4", List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }
}
