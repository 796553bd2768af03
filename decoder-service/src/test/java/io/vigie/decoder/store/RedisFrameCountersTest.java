package io.vigie.decoder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vigie.decoder.store.FrameCounters.Verdict;
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
@DisplayName("The replay guard's frame counters in Redis")
class RedisFrameCountersTest {
  private Redis redis;
  /** The strict guard (window 0). */
  private RedisFrameCounters counters;
  private String devEui;

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis embedded) {
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(embedded.url())
        .setMaxPoolSize(8).setMaxPoolWaiting(256));
    counters = new RedisFrameCounters(redis, 0);
    devEui = String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  @Test
  @DisplayName("with a window of 4, a counter never seen up to 4 below the highest is accepted once (late), then a re-delivery or a replay")
  void replayWindow() throws Exception {
    var windowed = new RedisFrameCounters(redis, 4);
    await(windowed.accept(devEui, 10, "h10", false));

    var late = await(windowed.accept(devEui, 6, "h6", false));
    assertThat(late.verdict()).isEqualTo(Verdict.LATE);
    assertThat(late.lastAccepted()).isEqualTo(10L);
    assertThat(await(windowed.last(devEui))).as("a late frame does not move the highest").isEqualTo(10L);
    assertThat(await(windowed.accept(devEui, 6, "h6", false)).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(await(windowed.accept(devEui, 6, "other", false)).verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(await(windowed.accept(devEui, 5, "h5", false)).verdict()).as("5 below: outside").isEqualTo(Verdict.REPLAY);
    assertThat(await(windowed.accept(devEui, 10, "other", false)).verdict()).isEqualTo(Verdict.REPLAY);
  }

  @Test
  @DisplayName("a batch of checks is decided in its order: the second frame with a counter is judged after the first")
  void batchInOrder() throws Exception {
    var decisions = await(counters.acceptAll(List.of(new FrameCounters.Check(devEui, 1, "a", false),
        new FrameCounters.Check(devEui, 2, "b", false), new FrameCounters.Check(devEui, 2, "c", false),
        new FrameCounters.Check(devEui, 1, "a", false))));

    assertThat(decisions).extracting(FrameCounters.Decision::verdict)
        .containsExactly(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.REPLAY, Verdict.REDELIVERY);
    assertThat(await(counters.lastAll(List.of(devEui, "ffffffffffffffff")))).containsExactly(2L, -1L);
  }

  @Test
  @DisplayName("a device with no counter yet has -1, and its first counter, even 0, is accepted")
  void first() throws Exception {
    assertThat(await(counters.last(devEui))).isEqualTo(-1L);

    var decision = await(counters.accept(devEui, 0, "h0", false));

    assertThat(decision.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(decision.lastAccepted()).isEqualTo(-1L);
    assertThat(await(counters.last(devEui))).isEqualTo(0L);
  }

  @Test
  @DisplayName("a counter above the last is accepted; not above is a replay unless it is the same content (re-delivery)")
  void guard() throws Exception {
    await(counters.accept(devEui, 0xFFFF_FFF0L, "a", false));
    assertThat(await(counters.accept(devEui, 0xFFFF_FFFFL, "b", false)).verdict()).isEqualTo(Verdict.ACCEPTED);

    assertThat(await(counters.accept(devEui, 0xFFFF_FFFFL, "b", false)).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(await(counters.accept(devEui, 0xFFFF_FFF0L, "a", false)).verdict()).isEqualTo(Verdict.REDELIVERY);
    var replay = await(counters.accept(devEui, 0xFFFF_FFFFL, "c", false));
    assertThat(replay.verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(replay.lastAccepted()).isEqualTo(0xFFFF_FFFFL);
    assertThat(await(counters.accept(devEui, 0xFFFF_FFF1L, "never-seen", false)).verdict()).isEqualTo(Verdict.REPLAY);
    assertThat(await(counters.last(devEui))).isEqualTo(0xFFFF_FFFFL);
  }

  @Test
  @DisplayName("re-deliveries are recognised among the 32 last accepted frames only")
  void window() throws Exception {
    for (int fCnt = 1; fCnt <= 40; fCnt++) await(counters.accept(devEui, fCnt, "h" + fCnt, false));

    assertThat(await(counters.accept(devEui, 9, "h9", false)).verdict()).isEqualTo(Verdict.REDELIVERY);
    assertThat(await(counters.accept(devEui, 8, "h8", false)).verdict()).isEqualTo(Verdict.REPLAY);
  }

  @Test
  @DisplayName("a reset, when allowed, restarts the counter and forgets the previous session's frames")
  void reset() throws Exception {
    await(counters.accept(devEui, 500, "h500", false));

    var reset = await(counters.accept(devEui, 1, "new", true));

    assertThat(reset.verdict()).isEqualTo(Verdict.RESET);
    assertThat(reset.lastAccepted()).isEqualTo(500L);
    assertThat(await(counters.last(devEui))).isEqualTo(1L);
    assertThat(await(counters.accept(devEui, 1, "new", true)).verdict()).as("re-delivery of the restart").isEqualTo(Verdict.REDELIVERY);
    assertThat(await(counters.accept(devEui, 2, "next", false)).verdict()).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  @DisplayName("of 24 different frames racing with the same counter over 8 connections, exactly one is accepted")
  void atomic() throws Exception {
    await(counters.accept(devEui, 99, "before", false));
    var racing = new ArrayList<Future<FrameCounters.Decision>>();
    for (int i = 0; i < 24; i++) racing.add(counters.accept(devEui, 100, "frame-" + i, false));

    await(Future.all(racing));

    var verdicts = racing.stream().map(f -> f.result().verdict()).toList();
    assertThat(verdicts).filteredOn(v -> v == Verdict.ACCEPTED).hasSize(1);
    assertThat(verdicts).filteredOn(v -> v == Verdict.REPLAY).hasSize(23);
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
