package io.vigie.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Batch;
import io.vigie.common.message.Uplink;
import io.vigie.common.redis.RedisClients;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.gateway.config.IngestLogSettings;
import io.vigie.gateway.store.IngestLog;
import io.vigie.testing.RealRedisCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The ingest log on a three-master Redis Cluster: its eight partitions spread over the masters. */
@RealRedisCluster
@DisplayName("The ingest log on a three-master Redis Cluster")
class IngestLogClusterTest {
  private static final int PARTITIONS = 8;

  private Vertx vertx;
  private Redis redis;
  private IngestLog log;
  private List<String> devices;
  private final Set<String> forwarded = ConcurrentHashMap.newKeySet();
  private final AtomicInteger deliveries = new AtomicInteger();

  @BeforeEach
  void start(EmbeddedRedisCluster cluster) throws Exception {
    vertx = Vertx.vertx();
    redis = RedisClients.create(vertx, cluster.url(), IngestLog.options());
    for (var node : cluster.nodes()) EmbeddedRedisCluster.command(node.port(), "FLUSHALL");
    log = new IngestLog(vertx, redis, new IngestLogSettings(cluster.url(), PARTITIONS, 10_000, 1 << 24, 2000, 16, 100, 2000));
    devices = new ArrayList<>();
    for (int i = 0; i < 24; i++) devices.add(String.format("%016x", ThreadLocalRandom.current().nextLong()));
    vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      var uplinks = Batch.fromJson(message.body(), Batch.UPLINKS, Uplink::fromJson);
      deliveries.addAndGet(uplinks.size());
      uplinks.forEach(u -> forwarded.add(u.devEui() + "/" + u.fCnt()));
      message.reply(LeaseTest.stored(uplinks));
    });
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("uplinks of 24 devices appended at once land in their partitions on every master, and a counter appended again is a duplicate")
  void appendIdempotent(EmbeddedRedisCluster cluster) throws Exception {
    var first = await(Future.all(devices.stream().map(eui -> log.append(uplink(eui, 1))).toList()));
    var again = await(Future.all(devices.stream().map(eui -> log.append(uplink(eui, 1))).toList()));

    assertThat(first.<Ack>list()).extracting(Ack::duplicate).containsOnly(false);
    assertThat(again.<Ack>list()).extracting(Ack::duplicate).containsOnly(true);
    long entries = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      entries += await(redis.send(Request.cmd(Command.XLEN).arg("vigie:ingest:{p" + p + "}:log"))).toLong();
    }
    assertThat(entries).isEqualTo(devices.size());
    for (var node : cluster.nodes()) {
      assertThat(Long.parseLong(EmbeddedRedisCluster.command(node.port(), "DBSIZE"))).as("keys on %s", node.url()).isPositive();
    }
  }

  @Test
  @DisplayName("two instances share the partitions by lease and drain the log: every uplink forwarded once, its fate recorded, the log empty")
  void twoInstancesDrain() throws Exception {
    var a = consumers("instance-a");
    var b = consumers("instance-b");
    await(vertx.deployVerticle(a));
    await(vertx.deployVerticle(b));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.held().size() + b.held().size() == PARTITIONS);
    var both = new HashSet<>(a.held());
    both.retainAll(b.held());
    assertThat(both).as("partitions held by both").isEmpty();

    for (int fCnt = 1; fCnt <= 4; fCnt++) {
      int counter = fCnt;
      await(Future.all(devices.stream().map(eui -> log.append(uplink(eui, counter))).toList()));
    }

    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(forwarded)
        .as("forwarded; held by a %s, by b %s; left in the log %s", a.held(), b.held(), left()).hasSize(4 * devices.size()));
    assertThat(deliveries.get()).as("uplinks forwarded").isEqualTo(4 * devices.size());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(log.fates(devices.get(0), 10)).size() == 4);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      long left = 0;
      for (int p = 0; p < PARTITIONS; p++) left += await(redis.send(Request.cmd(Command.XLEN).arg("vigie:ingest:{p" + p + "}:log"))).toLong();
      return left == 0;
    });
  }

  private List<Long> left() throws Exception {
    var left = new ArrayList<Long>();
    for (int p = 0; p < PARTITIONS; p++) left.add(await(redis.send(Request.cmd(Command.XLEN).arg("vigie:ingest:{p" + p + "}:log"))).toLong());
    return left;
  }

  private IngestConsumers consumers(String owner) {
    return new IngestConsumers(log, owner, new IngestMetrics(new SimpleMeterRegistry()), () -> System.nanoTime() / 1_000_000);
  }

  private static Uplink uplink(String devEui, long fCnt) {
    return new Uplink(devEui, fCnt, 1, "00", false, null, Instant.parse("2026-11-29T10:00:00Z"), "chirpstack-v4", List.of());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
