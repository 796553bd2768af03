package io.vigie.decoder.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Verdict;
import io.vigie.decoder.store.FrameCounters.Commit;
import io.vigie.decoder.store.FrameCounters.Read;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.testing.RealRedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@RealRedisCluster
@DisplayName("The replay guard on a three-master Redis Cluster: a batch's devices span the masters")
class RedisFrameCountersClusterTest {
  private EmbeddedRedisCluster cluster;
  private Redis redis;
  private RedisFrameCounters counters;
  private List<String> devices;

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedisCluster cluster) {
    this.cluster = cluster;
    redis = RedisClients.create(vertx, cluster.url());
    counters = new RedisFrameCounters(redis, 0);
    devices = new ArrayList<>();
    for (int i = 0; i < 40; i++) devices.add(String.format("%016x", ThreadLocalRandom.current().nextLong()));
  }

  @Test
  @DisplayName("a batch of 40 devices is read and committed at once, each device judged on its own counter, its keys stored on every master")
  void batchAcrossMasters() throws Exception {
    var windows = await(counters.read(reads()));
    var commits = new ArrayList<Commit>();
    for (int i = 0; i < devices.size(); i++) {
      commits.add(new Commit(devices.get(i), 1, "a" + i, windows.get(i).decide(1, "a" + i, false)));
      commits.add(new Commit(devices.get(i), 2, "b" + i, windows.get(i).decide(2, "b" + i, false)));
    }
    assertThat(await(counters.commit(commits))).as("conflicts").isEmpty();

    var after = await(counters.read(reads()));
    assertThat(after).extracting(ReplayWindow::last).containsOnly(2L);
    for (int i = 0; i < devices.size(); i++) {
      assertThat(after.get(i).decide(2, "b" + i, false).verdict()).as("the same frame again").isEqualTo(Verdict.REDELIVERY);
      assertThat(after.get(i).decide(2, "other", false).verdict()).as("other content, same counter").isEqualTo(Verdict.REPLAY);
    }
    for (var node : cluster.nodes()) {
      assertThat(Long.parseLong(EmbeddedRedisCluster.command(node.port(), "DBSIZE"))).as("keys on %s", node.url()).isPositive();
    }
  }

  @Test
  @DisplayName("a commit raced by another decoder on some devices answers conflicts for those only, whatever master holds them")
  void conflictsPerDevice() throws Exception {
    var windows = await(counters.read(reads()));
    var other = new RedisFrameCounters(redis, 0);
    var raced = new ArrayList<Commit>();
    for (int i = 0; i < devices.size(); i += 2) {
      raced.add(new Commit(devices.get(i), 5, "theirs", windows.get(i).decide(5, "theirs", false)));
    }
    assertThat(await(other.commit(raced))).isEmpty();

    var mine = new ArrayList<Commit>();
    for (int i = 0; i < devices.size(); i++) mine.add(new Commit(devices.get(i), 5, "mine", windows.get(i).decide(5, "mine", false)));
    var conflicts = await(counters.commit(mine));

    assertThat(conflicts).extracting(c -> c.commit().devEui())
        .containsExactlyInAnyOrderElementsOf(raced.stream().map(Commit::devEui).toList());
  }

  @Test
  @DisplayName("after every master forgot the scripts (SCRIPT FLUSH) the next batch loads them again and is recorded once")
  void scriptsForgotten() throws Exception {
    await(counters.read(reads()));
    for (EmbeddedRedis node : cluster.nodes()) assertThat(EmbeddedRedisCluster.command(node.port(), "SCRIPT", "FLUSH")).isEqualTo("OK");

    var windows = await(counters.read(reads()));
    var commits = new ArrayList<Commit>();
    for (int i = 0; i < devices.size(); i++) commits.add(new Commit(devices.get(i), 9, "h", windows.get(i).decide(9, "h", false)));
    assertThat(await(counters.commit(commits))).isEmpty();
    assertThat(await(counters.read(reads()))).extracting(ReplayWindow::last).containsOnly(9L);
  }

  private List<Read> reads() {
    return devices.stream().map(eui -> new Read(eui, Long.MIN_VALUE)).toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
