package io.vigie.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.gateway.TestGateway;
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.config.IngestLogSettings;
import io.vigie.gateway.store.IngestLog;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What makes the ingest log cheap per uplink, on a real Redis: appends coalesced into one script call per partition
 * (each still answered on its own, idempotent, bounded, in order per device), the seen window of the append script,
 * the scripts surviving a {@code SCRIPT FLUSH}, and the consumers' batches growing with {@code ingest.lingerMs}.
 */
@RealRedis
class BatchingTest {
  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

  private Vertx vertx;
  private Redis redis;
  private String url;
  private IngestLog log;
  /** The sizes of the batches the stand-in decoder received, in order. */
  private final List<Integer> batches = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(EmbeddedRedis server) throws Exception {
    vertx = Vertx.vertx();
    url = server.url();
    redis = Redis.createClient(vertx, IngestLog.options(url));
    await(redis.send(Request.cmd(Command.FLUSHALL)));
    vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      batches.add(TestGateway.uplinksOf(message).size());
      message.reply(TestGateway.results(message, UplinkStatus.STORED));
    });
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("240 appends of one event-loop turn go to Redis as one script call per partition, each answered on its own, in order per device")
  void coalesced() throws Exception {
    log = log(4, 100_000, 0, 1000, 20);
    var devices = IntStream.range(0, 40).mapToObj(i -> String.format("70b3d57ed00000%02x", i)).toList();
    await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));

    var answers = onEventLoop(() -> {
      var all = new ArrayList<Future<Ack>>();
      for (int fCnt = 1; fCnt <= 3; fCnt++) {
        for (var devEui : devices) {
          all.add(log.append(uplink(devEui, fCnt)));
          all.add(log.append(uplink(devEui, fCnt))); // a second copy: duplicate, in the same call
        }
      }
      return all;
    });

    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).duplicate()).as("answer %d", i).isEqualTo(i % 2 == 1);
    }
    var partitions = new HashSet<Integer>();
    devices.forEach(devEui -> partitions.add(log.partition(devEui)));
    assertThat(scriptCalls()).as("one call per partition").isEqualTo(partitions.size());
    var counters = new ArrayList<String>();
    for (int p = 0; p < 4; p++) {
      for (var entry : entries(p)) counters.add(entry.uplink().devEui() + "/" + entry.uplink().fCnt());
    }
    assertThat(counters).hasSize(120);
    for (var devEui : devices) {
      assertThat(counters.stream().filter(c -> c.startsWith(devEui))).containsExactly(devEui + "/1", devEui + "/2", devEui + "/3");
    }
  }

  @Test
  @DisplayName("in one call, the appends past ingest.maxEntries answer log full and a duplicate still answers duplicate; the byte count is exact")
  void boundedInOneCall() throws Exception {
    log = log(1, 10, 0, 1000, 20);

    var answers = onEventLoop(() -> {
      var all = new ArrayList<Future<Ack>>();
      for (int fCnt = 1; fCnt <= 12; fCnt++) all.add(log.append(uplink("0101010101010101", fCnt)));
      all.add(log.append(uplink("0101010101010101", 3)));
      return all;
    }, true);

    assertThat(answers.subList(0, 10)).allMatch(Future::succeeded).allMatch(a -> !a.result().duplicate());
    assertThat(answers.subList(10, 12)).allSatisfy(a -> {
      assertThat(a.failed()).isTrue();
      assertThat(a.cause()).isInstanceOf(IngestLog.LogFull.class).hasMessageContaining("ingest.maxEntries");
    });
    assertThat(answers.get(12).result().duplicate()).as("a duplicate, even when full").isTrue();
    var entries = entries(0);
    assertThat(entries).hasSize(10);
    assertThat(metaBytes(0)).isEqualTo(entries.stream().mapToLong(IngestLog.Entry::bytes).sum());
  }

  @Test
  @DisplayName("the append script remembers the 52 counters below the highest: a counter among them appended once, below them appended again, and the same in one call")
  void seenWindow() throws Exception {
    log = log(1, 100_000, 0, 1000, 20);
    long[] counters = {100, 48, 48, 47, 47, 100, 99, 99, 160, 100, 159, 159, 108, 108, 101, 161, 160, 159, 108};
    boolean[] duplicate = {false, false, true, false, false, true, false, true, false, false, false, true, false, true, false,
        false, true, true, false};

    var oneByOne = new ArrayList<Boolean>();
    for (var fCnt : counters) oneByOne.add(await(log.append(uplink("0101010101010101", fCnt))).duplicate());
    var inOneCall = onEventLoop(() -> {
      var all = new ArrayList<Future<Ack>>();
      for (var fCnt : counters) all.add(log.append(uplink("0202020202020202", fCnt)));
      return all;
    }).stream().map(Ack::duplicate).toList();

    var expected = new ArrayList<Boolean>();
    for (var d : duplicate) expected.add(d);
    assertThat(oneByOne).isEqualTo(expected);
    assertThat(inOneCall).isEqualTo(expected);
  }

  @Test
  @DisplayName("a raw Semtech frame's 16-bit counter wraps: 0 after 65535 is new, 65535 again is a duplicate")
  void wrappingCounter() throws Exception {
    log = log(1, 100_000, 0, 1000, 20);
    var answers = new ArrayList<Boolean>();
    for (long fCnt : new long[] {65534, 65535, 0, 65535, 1, 65534, 0}) {
      answers.add(await(log.append(new Uplink("0000000000000000", fCnt, 1, "00", true, "26011bda", AT, SemtechUdp.SOURCE,
          List.of()))).duplicate());
    }
    assertThat(answers).containsExactly(false, false, false, true, false, true, true);
  }

  @Test
  @DisplayName("after SCRIPT FLUSH (a Redis restart) appends and batch completions load their scripts again; fates are recorded once")
  void scriptsReloaded() throws Exception {
    log = log(1, 100_000, 1, 1000, 20);
    await(log.load());
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertThat(await(log.append(uplink("0101010101010101", 1))).duplicate()).isFalse();
    assertThat(await(log.append(uplink("0101010101010101", 2))).duplicate()).isFalse();
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    await(vertx.deployVerticle(consumers()));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> entries(0).isEmpty());
    assertThat(await(log.fates("0101010101010101", 100))).extracting(UplinkFate::fCnt).containsExactly(2L, 1L);
    assertThat(metaBytes(0)).isZero();
  }

  @Test
  @DisplayName("under load a consumer's batches grow: after a small batch it lets ingest.lingerMs pass, and the uplinks appended meanwhile come as one batch")
  void lingerGrowsBatches() throws Exception {
    log = log(1, 100_000, 1, 1500, 256);
    await(vertx.deployVerticle(consumers()));

    await(log.append(uplink("0101010101010101", 1)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    for (int fCnt = 2; fCnt <= 31; fCnt++) await(log.append(uplink("0101010101010101", fCnt)));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches.stream().mapToInt(Integer::intValue).sum() == 31);
    assertThat(batches).containsExactly(1, 30);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> entries(0).isEmpty());
    assertThat(metaBytes(0)).as("every byte released").isZero();
  }

  @Test
  @DisplayName("after a full batch (ingest.batch) the consumer reads again at once: the linger only follows a smaller batch")
  void fullBatchReadAtOnce() throws Exception {
    log = log(1, 100_000, 1, 60_000, 5);
    for (int fCnt = 1; fCnt <= 12; fCnt++) await(log.append(uplink("0101010101010101", fCnt)));

    await(vertx.deployVerticle(consumers()));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches.stream().mapToInt(Integer::intValue).sum() == 12);
    assertThat(batches).containsExactly(5, 5, 2);
  }

  @Test
  @DisplayName("an entry that cannot be read (written by a bug) goes to its partition's dead letters with why, counted, and the uplinks behind it are processed")
  void unreadableEntryDeadLettered() throws Exception {
    log = log(1, 100_000, 1, 50, 20);
    await(log.append(uplink("0101010101010101", 1)));
    // what an uplink with an infinite RSSI once became: JSON no reader accepts
    await(redis.send(Request.cmd(Command.XADD).arg("vigie:ingest:{p0}:log").arg("*").arg("u").arg("{\"rssi\":Infinity}")));
    await(redis.send(Request.cmd(Command.HINCRBY).arg("vigie:ingest:{p0}:meta").arg("bytes").arg("{\"rssi\":Infinity}".length())));
    await(log.append(uplink("0101010101010101", 2)));
    var meters = new SimpleMeterRegistry();

    await(vertx.deployVerticle(new IngestConsumers(log, "instance-a", new IngestMetrics(meters), () -> System.nanoTime() / 1_000_000)));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> entries(0).isEmpty());
    assertThat(await(log.fates("0101010101010101", 100))).extracting(UplinkFate::fCnt).containsExactly(2L, 1L);
    var dead = await(redis.send(Request.cmd(Command.XRANGE).arg("vigie:ingest:{p0}:dead").arg("-").arg("+")));
    assertThat(dead.size()).isEqualTo(1);
    var fields = dead.get(0).get(1);
    assertThat(fields.get(3).toString()).as("why").contains("Infinity");
    assertThat(fields.get(5).toString()).as("the entry as it was").isEqualTo("{\"rssi\":Infinity}");
    assertThat(meters.counter("vigie.gateway.ingest.dead.letters").count()).isEqualTo(1.0);
    assertThat(metaBytes(0)).as("every byte released").isZero();
  }

  @Test
  @DisplayName("an operator sees how long uplinks waited in the log and how long batches took: one wait per uplink, one duration per batch, the wait at least the time an uplink sat there before a consumer ran")
  void lagMeasured() throws Exception {
    log = log(1, 100_000, 0, 50, 20);
    for (int fCnt = 1; fCnt <= 3; fCnt++) await(log.append(uplink("0101010101010101", fCnt)));
    var appended = System.currentTimeMillis();
    await(vertx.timer(300)); // the uplinks sit in the log with no consumer running
    var idle = System.currentTimeMillis() - appended;
    var meters = new SimpleMeterRegistry();

    await(vertx.deployVerticle(new IngestConsumers(log, "instance-a", new IngestMetrics(meters), () -> System.nanoTime() / 1_000_000)));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> entries(0).isEmpty()
        && meters.find("vigie.gateway.ingest.batch.duration").timer() != null
        && meters.find("vigie.gateway.ingest.batch.duration").timer().count() == 1);
    var waited = meters.get("vigie.gateway.ingest.wait").timer();
    assertThat(waited.count()).isEqualTo(3);
    assertThat(waited.max(TimeUnit.MILLISECONDS)).as("waited while no consumer ran")
        .isGreaterThanOrEqualTo(idle - 5.0);
  }

  // ---------------------------------------------------------------- helpers

  private IngestLog log(int partitions, int maxEntries, long appendWindowMs, long lingerMs, int batch) {
    var settings = new IngestLogSettings(url, partitions, maxEntries, 1 << 24, 10_000, batch, 100, 2000, lingerMs,
        appendWindowMs, 1000);
    return new IngestLog(vertx, Redis.createClient(vertx, IngestLog.options(url)), settings);
  }

  private IngestConsumers consumers() {
    return new IngestConsumers(log, "instance-a", new IngestMetrics(new SimpleMeterRegistry()), () -> System.nanoTime() / 1_000_000);
  }

  private static Uplink uplink(String devEui, long fCnt) {
    return new Uplink(devEui, fCnt, 1, "00", false, null, AT, "chirpstack-v4", List.of());
  }

  /** Appends on one event loop, in one turn; the answers once all came, all succeeded. */
  private List<Ack> onEventLoop(Supplier<List<Future<Ack>>> appends) throws Exception {
    return onEventLoop(appends, false).stream().map(Future::result).toList();
  }

  private List<Future<Ack>> onEventLoop(Supplier<List<Future<Ack>>> appends, boolean failuresToo) throws Exception {
    var sent = Promise.<List<Future<Ack>>>promise();
    vertx.runOnContext(v -> sent.complete(appends.get()));
    var all = await(sent.future());
    if (failuresToo) await(Future.join(all).otherwiseEmpty());
    else await(Future.all(all));
    return all;
  }

  private List<IngestLog.Entry> entries(int partition) throws Exception {
    var read = await(redis.send(Request.cmd(Command.XREAD).arg("COUNT").arg(10_000).arg("STREAMS")
        .arg("vigie:ingest:{p" + partition + "}:log").arg("0-0")));
    return IngestLog.entriesOfRead(read);
  }

  private long metaBytes(int partition) throws Exception {
    var bytes = await(redis.send(Request.cmd(Command.HGET).arg("vigie:ingest:{p" + partition + "}:meta").arg("bytes")));
    return bytes == null ? 0 : bytes.toLong();
  }

  /** EVALSHA calls since CONFIG RESETSTAT. */
  private long scriptCalls() throws Exception {
    var info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    for (var line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        return Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
      }
    }
    return 0;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
