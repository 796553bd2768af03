package io.vigie.decoder;

import static io.vigie.decoder.AbpFixture.AT;
import static io.vigie.decoder.AbpFixture.LPP_23_5;
import static io.vigie.decoder.AbpFixture.LPP_24_0;
import static io.vigie.decoder.AbpFixture.STRANGER;
import static io.vigie.decoder.AbpFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
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
import io.vigie.common.message.DecodedBatch;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decoder's side of the ingest log's batches (ADR 0005): fates in request order, a device's frames checked in
 * batch order, the replay window, the replay guard's two phases (checked before decoding, recorded once stored), and
 * one pipelined Redis round trip per phase and batch (counted by a wrapper around the real Redis client). Stand-ins
 * for the registry and the enrichment (which answers codec-error for a measurement with errors, duplicate for an id
 * it has seen, stored otherwise; it can fail 503 like an enrichment whose Elasticsearch is down, or hold its
 * requests).
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
  private final BlockingQueue<JsonObject> security = new LinkedBlockingQueue<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** The enrichment fails this many next batches with 503 (Elasticsearch down). */
  private final AtomicInteger enrichmentFailures = new AtomicInteger();
  /** While true, the enrichment holds its requests in {@link #held}, to be answered by the test. */
  private final AtomicBoolean holding = new AtomicBoolean();
  private final BlockingQueue<Message<Object>> held = new LinkedBlockingQueue<>();
  private Handler<Message<Object>> storing;

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis redis) throws Exception {
    this.vertx = vertx;
    this.redis = redis;
    await(abp.serveRegistry(vertx));
    storing = Batches.storingOnce(measurement -> {
      stored.add(measurement);
      storedIds.add(measurement.id());
    });
    await(vertx.eventBus().<Object>consumer(Addresses.UPLINK_DECODED, message -> {
      if (enrichmentFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        message.fail(503, "Elasticsearch is not running");
      } else if (holding.get()) {
        held.add(message);
      } else {
        storing.handle(message);
      }
    }).completion());
    await(vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_SECURITY, m -> security.add(m.body())).completion());
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
  @DisplayName("the replay guard of a batch is ONE EVALSHA to check and ONE to commit, raw 16-bit frames included, never EVAL; once the device's highest counter is known, only the commit")
  void oneRoundTripPerBatch() throws Exception {
    deploy(32);
    sendAll(List.of(abp.networkServer(1, 1, LPP_23_5))); // loads the scripts; the device's highest counter is now known
    var info = Redis.createClient(vertx, redis.url());
    long evalBefore = calls(info, "eval");
    long evalshaBefore = calls(info, "evalsha");

    roundTrips.set(0);
    sendAll(LongStream.range(2, 22).mapToObj(n -> abp.networkServer(n, 1, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 network-server uplinks above the known highest counter: the commit").isEqualTo(1);

    roundTrips.set(0);
    sendAll(LongStream.range(22, 42).mapToObj(n -> abp.udp(n, LPP_23_5)).toList());
    assertThat(roundTrips.get()).as("20 raw frames: extended from the known highest counter, then the commit").isEqualTo(1);

    roundTrips.set(0);
    assertThat(send(abp.networkServer(30, 1, LPP_24_0))).isEqualTo(UplinkStatus.REPLAY);
    assertThat(roundTrips.get()).as("a counter at or below the known highest: read from Redis, no commit").isEqualTo(1);

    assertThat(calls(info, "evalsha") - evalshaBefore).as("one commit call per batch, one read for the replay")
        .isEqualTo(1 + 1 + 1);
    assertThat(calls(info, "eval")).as("the script text is never sent per uplink").isEqualTo(evalBefore);
    assertThat(storedIds).hasSize(41);
  }

  @Test
  @DisplayName("two decoders taking turns on one device (batches go to either instance): raw frames past the 16-bit rollover the other crossed are extended again from Redis's counter, not refused; other content at a counter the other stored is a conflict once, which turns the cache off, then a replay; the same frame a duplicate")
  void twoDecodersTakingTurns() throws Exception {
    deploy(32);
    var other = Vertx.vertx();
    try {
      await(abp.serveRegistry(other));
      await(other.eventBus().<Object>consumer(Addresses.UPLINK_DECODED, storing).completion());
      deploy(other, 32);
      assertThat(send(abp.networkServer(10, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
      assertThat(sendAll(other, LongStream.rangeClosed(0xFFFEL, 0x10003L).mapToObj(n -> abp.udp(n, LPP_23_5)).toList()))
          .extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);

      var fates = sendAll(List.of(abp.udp(0x10004L, LPP_24_0), abp.udp(0x10005L, LPP_24_0)));
      assertThat(fates).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
      assertThat(fates).extracting(UplinkFate::fCnt).containsExactly(0x10004L, 0x10005L);

      assertThat(sendAll(other, List.of(abp.networkServer(0x10006L, 1, LPP_23_5), abp.networkServer(0x10007L, 1, LPP_23_5))))
          .extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
      var failure = catchThrowable(() -> send(abp.networkServer(0x10006L, 1, LPP_24_0)));
      assertThat(failure).as("decided on the counter this decoder knew, refused by the commit")
          .isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureCode()).isEqualTo(503);
      assertThat(send(abp.networkServer(0x10006L, 1, LPP_24_0))).as("sent again by the gateway").isEqualTo(UplinkStatus.REPLAY);
      assertThat(send(abp.networkServer(0x10007L, 1, LPP_23_5))).isEqualTo(UplinkStatus.DUPLICATE);

      roundTrips.set(0);
      assertThat(send(abp.networkServer(0x10008L, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
      assertThat(roundTrips.get()).as("the cache off: read and commit").isEqualTo(2);
      assertThat(storedIds).doesNotHaveDuplicates().hasSize(1 + 6 + 2 + 2 + 1);
      assertThat(security.poll(5, TimeUnit.SECONDS).getString("kind")).isEqualTo("replay");
      assertThat(security).as("no MIC failure published for the frames first extended from an old counter").isEmpty();
    } finally {
      other.close();
    }
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

  @Test
  @DisplayName("a batch of 50 raw frames of one device that the enrichment fails (503) records no counter; sent again, all 50 are stored, none a replay; sent once more, all duplicate")
  void retriedBatchAcceptedAsTheFirstAttempt() throws Exception {
    deploy(32);
    assertThat(send(abp.networkServer(100, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    var flushed = LongStream.rangeClosed(101, 150).mapToObj(n -> abp.udp(n, LPP_24_0)).toList();
    enrichmentFailures.set(1);

    var failure = catchThrowable(() -> sendAll(flushed));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(503);
    assertThat(highestRecorded()).as("nothing recorded for a batch that was not stored").isEqualTo(100L);

    var fates = sendAll(flushed);

    assertThat(fates).extracting(UplinkFate::status).containsOnly(UplinkStatus.STORED);
    assertThat(fates).extracting(UplinkFate::fCnt).containsExactlyElementsOf(LongStream.rangeClosed(101, 150).boxed().toList());
    assertThat(stored).extracting(Measurement::fCnt).hasSize(51).endsWith(150L);
    assertThat(highestRecorded()).isEqualTo(150L);

    assertThat(sendAll(flushed)).extracting(UplinkFate::status).containsOnly(UplinkStatus.DUPLICATE);
    assertThat(stored).hasSize(51);
    assertThat(security).as("no replay, nothing published").isEmpty();
    assertThat(meters.find("vigie.decoder.uplinks.refused").tag("reason", "replay").counter()).isNull();
  }

  @Test
  @DisplayName("a replay inside a batch (the same counter twice, other content): the first stored, the second a replay, published once although the batch had to be sent twice")
  void replayInsideBatch() throws Exception {
    deploy(32);
    var batch = List.of(abp.networkServer(10, 1, LPP_23_5), abp.networkServer(10, 1, LPP_24_0), abp.networkServer(11, 1, LPP_24_0));
    enrichmentFailures.set(1);
    assertThat(catchThrowable(() -> sendAll(batch))).isInstanceOf(ReplyException.class);

    var fates = sendAll(batch);

    assertThat(fates).extracting(UplinkFate::status).containsExactly(UplinkStatus.STORED, UplinkStatus.REPLAY, UplinkStatus.STORED);
    assertThat(fates.get(1).reason()).isEqualTo("replay: counter 10 was seen before with other content or is below the"
        + " replay window (highest accepted 10)");
    assertThat(stored).extracting(Measurement::fCnt).containsExactly(10L, 11L);
    assertThat(stored.get(0).decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(meters.find("vigie.decoder.security.events").tag("kind", "replay").counter().count())
        .as("published once, when the batch was answered").isEqualTo(1.0);
    var event = security.poll(5, TimeUnit.SECONDS);
    assertThat(event.getString("kind")).isEqualTo("replay");
    assertThat(event.getLong("fCnt")).isEqualTo(10L);
  }

  @Test
  @DisplayName("two decoders racing on one device (a lease hand-over) with the same counter and other content: the first to commit wins, the other batch fails 503 and, sent again, is a replay")
  void twoDecodersRacing() throws Exception {
    deploy(32);
    deploy(32);
    assertThat(send(abp.networkServer(9, 1, LPP_23_5))).isEqualTo(UplinkStatus.STORED);
    holding.set(true);
    var a = vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(abp.networkServer(10, 1, LPP_23_5)));
    var b = vertx.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(abp.networkServer(10, 1, LPP_24_0)));
    var first = held.poll(10, TimeUnit.SECONDS);
    var second = held.poll(10, TimeUnit.SECONDS);
    assertThat(second).as("both batches decided before either is stored").isNotNull();
    holding.set(false);
    var firstIsA = DecodedBatch.of(first.body()).uplinks().get(0).measurement()
        .decoded().getDouble("temperature_1") == 23.5;
    var winner = firstIsA ? a : b;
    var loser = firstIsA ? b : a;

    storing.handle(first);
    assertThat(Batches.fates(await(winner)).get(0).status()).isEqualTo(UplinkStatus.STORED);
    storing.handle(second);
    var failure = catchThrowable(() -> await(loser));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(503);
    assertThat(failure.getMessage()).contains("changed meanwhile");
    assertThat(send(firstIsA ? abp.networkServer(10, 1, LPP_24_0) : abp.networkServer(10, 1, LPP_23_5)))
        .as("sent again by the gateway").isEqualTo(UplinkStatus.REPLAY);
    assertThat(stored).extracting(Measurement::fCnt).containsExactly(9L, 10L);
    assertThat(meters.find("vigie.decoder.uplinks.refused").tag("reason", "guard_conflict").counter().count()).isEqualTo(1.0);
  }

  // ---------------------------------------------------------------- helpers

  /** The device's highest counter the replay guard recorded. */
  private long highestRecorded() throws Exception {
    var admin = Redis.createClient(vertx, redis.url());
    var last = await(admin.send(Request.cmd(Command.HGET).arg("vigie:decoder:fcnt:{" + abp.devEui + "}").arg("last")));
    return last == null ? -1 : last.toLong();
  }

  private void deploy(int window) throws Exception {
    deploy(vertx, window);
  }

  /** A decoder on this Vert.x (another one is another instance: its own caches), with the default guard cache. */
  private void deploy(Vertx on, int window) throws Exception {
    var vigie = VigieConfig.from(new JsonObject().put("bus", new JsonObject().put("requestTimeout", 5000))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("decoder", new JsonObject().put("replayWindow", window)));
    var config = DecoderConfig.from(vigie);
    var counting = new CountingRedis(Redis.createClient(on, new RedisOptions().setConnectionString(redis.url())), roundTrips);
    var verticle = new DecoderVerticle(config, new DecoderMetrics(meters),
        new RedisFrameCounters(counting, config.replayWindow(), config.guardCache()),
        new RegistryClient(on, RegistryClientConfig.from(vigie), meters, "decoder"), new UplinkDecoder(),
        on.createSharedWorkerExecutor("batch-test-codecs", 2), counting::close);
    await(on.deployVerticle(verticle));
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
    return sendAll(vertx, uplinks);
  }

  /** The batch sent on this Vert.x's bus: to its decoder. */
  private static List<UplinkFate> sendAll(Vertx on, List<Uplink> uplinks) throws Exception {
    var fates = Batches.fates(await(on.eventBus().<JsonObject>request(Addresses.UPLINK_RECEIVED, Batches.of(new ArrayList<>(uplinks)))));
    assertThat(fates).hasSameSizeAs(uplinks);
    return fates;
  }
}
