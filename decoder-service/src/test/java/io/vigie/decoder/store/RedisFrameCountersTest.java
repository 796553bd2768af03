package io.vigie.decoder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Decision;
import io.vigie.decoder.domain.ReplayWindow.Verdict;
import io.vigie.decoder.store.FrameCounters.Commit;
import io.vigie.decoder.store.FrameCounters.Conflict;
import io.vigie.decoder.store.FrameCounters.Read;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@RealRedis
@DisplayName("The replay guard's frame counters in Redis: read, decided in memory, committed")
class RedisFrameCountersTest {
  private Vertx vertx;
  private EmbeddedRedis embedded;
  private Redis redis;
  /** The strict guard (window 0). */
  private RedisFrameCounters counters;
  private String devEui;

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis embedded) {
    this.vertx = vertx;
    this.embedded = embedded;
    redis = client();
    counters = new RedisFrameCounters(redis, 0);
    devEui = String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  @Test
  @DisplayName("with a window of 4, a counter never seen up to 4 below the highest is accepted once (late), then a re-delivery or a replay")
  void replayWindow() throws Exception {
    var windowed = new RedisFrameCounters(redis, 4);
    accept(windowed, 10, "h10", false);

    var late = accept(windowed, 6, "h6", false);
    assertThat(late.verdict()).isEqualTo(Verdict.LATE);
    assertThat(late.lastAccepted()).isEqualTo(10L);
    assertThat(last(windowed)).as("a late frame does not move the highest").isEqualTo(10L);
    assertThat(accept(windowed, 6, "h6", false).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(accept(windowed, 6, "other", false).verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(accept(windowed, 5, "h5", false).verdict()).as("5 below: outside").isEqualTo(Verdict.REPLAY);
    assertThat(accept(windowed, 10, "other", false).verdict()).isEqualTo(Verdict.REPLAY);
  }

  @Test
  @DisplayName("a batch is decided in memory in its order, the second frame with a counter judged after the first; nothing is recorded until the commit")
  void batchInOrder() throws Exception {
    var window = read(counters, Long.MIN_VALUE);
    var decisions = List.of(window.decide(1, "a", false), window.decide(2, "b", false), window.decide(2, "c", false),
        window.decide(1, "a", false));

    assertThat(decisions).extracting(Decision::verdict)
        .containsExactly(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.REPLAY, Verdict.REDELIVERY);
    assertThat(last(counters)).as("nothing recorded yet").isEqualTo(-1L);

    assertThat(await(counters.commit(List.of(new Commit(devEui, 1, "a", decisions.get(0)),
        new Commit(devEui, 2, "b", decisions.get(1)))))).isEmpty();
    assertThat(last(counters)).isEqualTo(2L);
    assertThat(read(counters, Long.MIN_VALUE).decide(2, "b", false).verdict()).isEqualTo(Verdict.REDELIVERY);
  }

  @Test
  @DisplayName("a device with no counter yet has -1, and its first counter, even 0, is accepted")
  void first() throws Exception {
    assertThat(last(counters)).isEqualTo(-1L);

    var decision = accept(counters, 0, "h0", false);

    assertThat(decision.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(decision.lastAccepted()).isEqualTo(-1L);
    assertThat(last(counters)).isEqualTo(0L);
  }

  @Test
  @DisplayName("a counter above the last is accepted; not above is a replay unless it is the same content (re-delivery)")
  void guard() throws Exception {
    accept(counters, 0xFFFF_FFF0L, "a", false);
    assertThat(accept(counters, 0xFFFF_FFFFL, "b", false).verdict()).isEqualTo(Verdict.ACCEPTED);

    assertThat(accept(counters, 0xFFFF_FFFFL, "b", false).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(accept(counters, 0xFFFF_FFF0L, "a", false).verdict()).isEqualTo(Verdict.REDELIVERY);
    var replay = accept(counters, 0xFFFF_FFFFL, "c", false);
    assertThat(replay.verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(replay.lastAccepted()).isEqualTo(0xFFFF_FFFFL);
    assertThat(accept(counters, 0xFFFF_FFF1L, "never-seen", false).verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(last(counters)).isEqualTo(0xFFFF_FFFFL);
  }

  @Test
  @DisplayName("re-deliveries are recognised among the 32 last accepted frames only")
  void window() throws Exception {
    for (int fCnt = 1; fCnt <= 40; fCnt++) accept(counters, fCnt, "h" + fCnt, false);

    assertThat(accept(counters, 9, "h9", false).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(accept(counters, 8, "h8", false).verdict()).isEqualTo(Verdict.REPLAY);
  }

  @Test
  @DisplayName("every frame one commit records is kept, however many: the same 50 frames again are all re-deliveries, until the device's next frame")
  void batchRemembered() throws Exception {
    var window = read(counters, Long.MIN_VALUE);
    var commits = new ArrayList<Commit>();
    for (int fCnt = 1; fCnt <= 50; fCnt++) commits.add(new Commit(devEui, fCnt, "h" + fCnt, window.decide(fCnt, "h" + fCnt, false)));
    assertThat(await(counters.commit(commits))).isEmpty();

    var again = read(counters, Long.MIN_VALUE);
    assertThat(commits).allSatisfy(c -> assertThat(again.decide(c.fCnt32(), c.payloadHash(), false).verdict())
        .isEqualTo(Verdict.REDELIVERY));

    accept(counters, 51, "h51", false);
    assertThat(accept(counters, 19, "h19", false).verdict()).as("32 below 51: forgotten").isEqualTo(Verdict.REPLAY);
    assertThat(accept(counters, 20, "h20", false).verdict()).isEqualTo(Verdict.REDELIVERY);
  }

  @Test
  @DisplayName("read from the lowest counter of a batch whose frames give their 32-bit counter: the highest, and the recent frames from there up")
  void readFrom() throws Exception {
    var windowed = new RedisFrameCounters(redis, 100);
    for (int fCnt = 1; fCnt <= 40; fCnt++) accept(windowed, fCnt, "h" + fCnt, false);

    var window = read(windowed, 38);

    assertThat(window.last()).isEqualTo(40L);
    assertThat(window.decide(38, "h38", false).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(window.decide(39, "other", false).verdict()).isEqualTo(Verdict.REPLAY);
  }

  @Test
  @DisplayName("a reset, when allowed, restarts the counter and forgets the previous session's frames")
  void reset() throws Exception {
    accept(counters, 500, "h500", false);

    var reset = accept(counters, 1, "new", true);

    assertThat(reset.verdict()).isEqualTo(Verdict.RESET);
    assertThat(reset.lastAccepted()).isEqualTo(500L);
    assertThat(last(counters)).isEqualTo(1L);
    assertThat(accept(counters, 1, "new", true).verdict()).as("re-delivery of the restart").isEqualTo(Verdict.REDELIVERY);
    assertThat(accept(counters, 2, "next", false).verdict()).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  @DisplayName("a commit sent again (a batch retried after its reply was lost) changes nothing: no conflict, one reset counted")
  void commitIdempotent() throws Exception {
    accept(counters, 500, "h500", false);
    var window = read(counters, Long.MIN_VALUE);
    var commits = List.of(new Commit(devEui, 0, "boot", window.decide(0, "boot", true)),
        new Commit(devEui, 1, "next", window.decide(1, "next", true)));

    assertThat(await(counters.commit(commits))).isEmpty();
    assertThat(await(counters.commit(commits))).isEmpty();

    assertThat(last(counters)).isEqualTo(1L);
    var resets = await(redis.send(Request.cmd(Command.HGET).arg(RedisFrameCounters.stateKey(devEui)).arg("resets")));
    assertThat(resets.toInteger()).isEqualTo(1);
  }

  @Test
  @DisplayName("two decoders that read the same state and decide the same counter with other contents: the first commit wins, the second is a conflict and changes nothing")
  void twoDecoders() throws Exception {
    var other = new RedisFrameCounters(client(), 0);
    var decided = bothDecide(other, 9, 10, false);
    assertThat(decided).extracting(Decision::verdict).containsOnly(Verdict.ACCEPTED);

    assertThat(commit(counters, 10, "a", decided.get(0))).isEmpty();
    var conflicts = commit(other, 10, "b", decided.get(1));

    assertThat(conflicts).extracting(Conflict::lastAccepted).containsExactly(10L);
    assertThat(read(other, Long.MIN_VALUE).decide(10, "b", false).verdict()).as("decided again").isEqualTo(Verdict.REPLAY);
    assertThat(read(other, Long.MIN_VALUE).decide(10, "a", false).verdict()).isEqualTo(Verdict.REDELIVERY);
  }

  @Test
  @DisplayName("two decoders restarting one device's session with different first frames: one reset wins, the other is a conflict")
  void twoResets() throws Exception {
    var other = new RedisFrameCounters(client(), 0);
    var decided = bothDecide(other, 500, 0, true);
    assertThat(decided).extracting(Decision::verdict).as("both decided a reboot").containsOnly(Verdict.RESET);

    assertThat(commit(counters, 0, "a", decided.get(0))).isEmpty();
    assertThat(commit(other, 0, "b", decided.get(1))).as("the second reset").hasSize(1);
    assertThat(read(counters, Long.MIN_VALUE).decide(0, "a", true).verdict()).isEqualTo(Verdict.REDELIVERY);
  }

  @Test
  @DisplayName("a late frame whose commit finds the highest counter moved past the window by another decoder is a conflict")
  void lateOvertaken() throws Exception {
    var windowed = new RedisFrameCounters(redis, 4);
    accept(windowed, 10, "h10", false);
    var late = read(windowed, Long.MIN_VALUE).decide(7, "h7", false);
    assertThat(late.verdict()).isEqualTo(Verdict.LATE);
    accept(windowed, 20, "h20", false);

    assertThat(commit(windowed, 7, "h7", late)).extracting(Conflict::lastAccepted)
        .containsExactly(20L);
  }

  @Test
  @DisplayName("with a cache, a known device is read from its highest counter with no Redis call, deciding only frames above it; the commit's answers move it; forget reads Redis again; the first commit that finds the counter moved by another writer turns the cache off for good")
  void cachedHighestCounter() throws Exception {
    var cached = new RedisFrameCounters(redis, 4, 100);
    var other = new RedisFrameCounters(client(), 4);
    accept(cached, 10, "h10", false);
    var info = client();
    long before = evalshaCalls(info);

    var known = read(cached, 11);
    assertThat(evalshaCalls(info)).as("no read call").isEqualTo(before);
    assertThat(known.partial()).isTrue();
    assertThat(known.last()).isEqualTo(10);
    assertThat(known.knows(11)).isTrue();
    assertThat(known.knows(10)).as("at or below the highest: Redis must tell").isFalse();
    assertThat(commit(cached, 11, "h11", known.decide(11, "h11", false))).isEmpty();
    assertThat(read(cached, 12).last()).as("the commit's answer, kept").isEqualTo(11);

    cached.forget(List.of(devEui));
    var fresh = read(cached, Long.MIN_VALUE);
    assertThat(fresh.partial()).isFalse();
    assertThat(fresh.decide(11, "h11", false).verdict()).isEqualTo(Verdict.REDELIVERY);

    var stale = read(cached, 12);
    assertThat(stale.partial()).isTrue();
    accept(other, 13, "h13", false);
    assertThat(commit(cached, 12, "h12", stale.decide(12, "h12", false))).as("late for Redis, within the window").isEmpty();
    assertThat(read(cached, 14).partial()).as("another writer seen: the cache is off").isFalse();
    accept(cached, 14, "h14", false);
    assertThat(read(cached, 15).partial()).as("for good").isFalse();
  }

  @Test
  @DisplayName("of 24 different frames racing with the same counter over 8 connections, exactly one is recorded")
  void atomic() throws Exception {
    accept(counters, 99, "before", false);
    var racing = new ArrayList<Future<Boolean>>();
    for (int i = 0; i < 24; i++) {
      var hash = "frame-" + i;
      racing.add(counters.read(List.of(new Read(devEui, 100))).compose(windows -> {
        var decision = windows.get(0).decide(100, hash, false);
        if (!decision.verdict().records()) return Future.succeededFuture(false);
        return counters.commit(List.of(new Commit(devEui, 100, hash, decision))).map(List::isEmpty);
      }));
    }

    await(Future.all(racing));

    assertThat(racing).filteredOn(Future::result).hasSize(1);
    assertThat(last(counters)).isEqualTo(100L);
  }

  @Test
  @DisplayName("a batch of 3 devices is read in ONE script call and committed in ONE, each device decided on its own state, a conflict reported for its frame only")
  void severalDevicesOneCallEach() throws Exception {
    var others = List.of(String.format("%016x", ThreadLocalRandom.current().nextLong()),
        String.format("%016x", ThreadLocalRandom.current().nextLong()));
    accept(counters, 10, "h10", false);
    var info = client();
    long before = evalshaCalls(info);

    var windows = await(counters.read(List.of(new Read(devEui, Long.MIN_VALUE), new Read(others.get(0), Long.MIN_VALUE),
        new Read(others.get(1), 5))));
    assertThat(windows).extracting(ReplayWindow::last).containsExactly(10L, -1L, -1L);
    var commits = List.of(new Commit(devEui, 11, "a", windows.get(0).decide(11, "a", false)),
        new Commit(others.get(0), 1, "b", windows.get(1).decide(1, "b", false)),
        new Commit(others.get(0), 2, "c", windows.get(1).decide(2, "c", false)),
        new Commit(others.get(1), 7, "d", windows.get(2).decide(7, "d", false)));
    accept(counters, 12, "meanwhile", false); // another decoder moved the first device past 11
    long afterRace = evalshaCalls(info);
    var conflicts = await(counters.commit(commits));

    assertThat(afterRace - before).as("the read of the batch is one call").isEqualTo(1 + 2);
    assertThat(evalshaCalls(info) - afterRace).as("the commit of the batch is one call").isEqualTo(1);
    assertThat(conflicts).extracting(c -> c.commit().devEui(), Conflict::lastAccepted).containsExactly(
        org.assertj.core.groups.Tuple.tuple(devEui, 12L));
    assertThat(await(counters.read(others.stream().map(eui -> new Read(eui, Long.MIN_VALUE)).toList())))
        .extracting(ReplayWindow::last).containsExactly(2L, 7L);
  }

  // ---------------------------------------------------------------- helpers

  private Redis client() {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(embedded.url())
        .setMaxPoolSize(8).setMaxPoolWaiting(256));
  }

  /** One frame as a batch of its own: read, decided, and committed when it passes (as once stored). */
  private Decision accept(RedisFrameCounters guard, long fCnt, String hash, boolean resetAllowed) throws Exception {
    var decision = read(guard, Long.MIN_VALUE).decide(fCnt, hash, resetAllowed);
    if (decision.verdict().records()) {
      assertThat(commit(guard, fCnt, hash, decision)).as("conflicts").isEmpty();
    }
    return decision;
  }

  /**
   * Once {@code before} is recorded, this guard and {@code other} (another decoder) each read the device's state and
   * decide counter {@code fCnt}, with content "a" here and "b" there; the two decisions.
   */
  private List<Decision> bothDecide(RedisFrameCounters other, long before, long fCnt, boolean resetAllowed) throws Exception {
    if (last(counters) < before) accept(counters, before, "h" + before, false);
    return List.of(read(counters, Long.MIN_VALUE).decide(fCnt, "a", resetAllowed),
        read(other, Long.MIN_VALUE).decide(fCnt, "b", resetAllowed));
  }

  /** One decided frame committed on its own; the conflicts. */
  private List<Conflict> commit(RedisFrameCounters guard, long fCnt, String hash, Decision decision) throws Exception {
    return await(guard.commit(List.of(new Commit(devEui, fCnt, hash, decision))));
  }

  private ReplayWindow read(RedisFrameCounters guard, long from) throws Exception {
    return await(guard.read(List.of(new Read(devEui, from)))).get(0);
  }

  private long last(RedisFrameCounters guard) throws Exception {
    return read(guard, Long.MIN_VALUE).last();
  }

  /** EVALSHA calls Redis has run so far ({@code INFO commandstats}). */
  private static long evalshaCalls(Redis info) throws Exception {
    var stats = await(info.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    for (var line : stats.split("\\r?\\n")) {
      if (line.startsWith("cmdstat_evalsha:")) return Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*$", "$1"));
    }
    return 0;
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }
}
