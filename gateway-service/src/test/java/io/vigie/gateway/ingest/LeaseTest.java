package io.vigie.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.message.Batch;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.gateway.config.IngestLogSettings;
import io.vigie.gateway.store.IngestLog;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The leases of the partitions, with two consumer sets ("instances") on one partition of a real Redis and a short
 * lease: exactly one drains it at a time, a holder that stops renewing stops at once and the other takes over, a
 * stopped holder releases its lease. The stand-in decoder detects two batches of the partition in flight at once.
 */
@RealRedis
class LeaseTest {
  private static final long LEASE_MS = 300;

  private Vertx vertx;
  private IngestLog log;
  private Redis redis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean overlap = new AtomicBoolean();
  private final Set<Long> processed = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start(EmbeddedRedis server) throws Exception {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, IngestLog.options(server.url()));
    await(redis.send(Request.cmd(Command.FLUSHALL)));
    log = new IngestLog(vertx, redis, new IngestLogSettings(server.url(), 1, 10_000, 1 << 24, LEASE_MS, 4, 100, 2000));
    vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      if (inFlight.incrementAndGet() > 1) overlap.set(true);
      var uplinks = Batch.fromJson(message.body(), Batch.UPLINKS, Uplink::fromJson);
      vertx.setTimer(5, id -> {
        inFlight.decrementAndGet();
        uplinks.forEach(uplink -> processed.add(uplink.fCnt()));
        message.reply(stored(uplinks));
      });
    });
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("one holder at a time: when the holder stops renewing it stops at once, the other takes over, and no two batches are ever in flight together")
  void handOver(EmbeddedRedis server) throws Exception {
    var first = consumers(server, "instance-a");
    await(vertx.deployVerticle(first));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> first.held().equals(Set.of(0)));
    var second = consumers(server, "instance-b");
    await(vertx.deployVerticle(second));
    append(1, 40);

    Awaitility.await().during(Duration.ofMillis(3 * LEASE_MS)).atMost(Duration.ofSeconds(5)).until(() -> second.held().isEmpty());
    first.pauseRenewal(true);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> first.held().isEmpty() && second.held().equals(Set.of(0)));
    append(41, 80);

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 80);
    assertThat(overlap).as("two batches of the partition in flight at once").isFalse();
    assertThat(first.held()).as("the first does not take it back").isEmpty();
  }

  @Test
  @DisplayName("a holder whose lease time ran out before its renewal was answered sends nothing meanwhile, and drains again once the renewal lands")
  void lateRenewal(EmbeddedRedis server) throws Exception {
    log = new IngestLog(vertx, redis, new IngestLogSettings(server.url(), 1, 10_000, 1 << 24, 6000, 4, 100, 2000));
    var clock = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    var holder = new IngestConsumers(log, "instance-a", new IngestMetrics(new SimpleMeterRegistry()), clock::get);
    await(vertx.deployVerticle(holder));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> holder.held().equals(Set.of(0)));

    clock.addAndGet(7000); // the lease's time, as this instance counts it, ran out: its renewal is late
    append(1, 3);
    Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(processed::isEmpty);
    clock.addAndGet(-7000); // the renewal lands

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 3);
    assertThat(holder.held()).isEqualTo(Set.of(0));
  }

  @Test
  @DisplayName("a stopped holder releases its lease: the other instance takes the partition over without waiting for it to expire")
  void releaseOnStop(EmbeddedRedis server) throws Exception {
    log = new IngestLog(vertx, redis, new IngestLogSettings(server.url(), 1, 10_000, 1 << 24, 6000, 4, 100, 2000));
    var first = consumers(server, "instance-a");
    var id = await(vertx.deployVerticle(first));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> first.held().equals(Set.of(0)));
    var second = consumers(server, "instance-b");
    await(vertx.deployVerticle(second));

    await(vertx.undeploy(id));

    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> second.held().equals(Set.of(0)));
    append(1, 5);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> processed.size() == 5);
  }

  @Test
  @DisplayName("instances share the partitions: the first holds all four, a second one gets half, and when it stops its half goes back")
  void fairShare(EmbeddedRedis server) throws Exception {
    log = new IngestLog(vertx, redis, new IngestLogSettings(server.url(), 4, 10_000, 1 << 24, LEASE_MS, 4, 100, 2000));
    var first = consumers(server, "instance-a");
    await(vertx.deployVerticle(first));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> first.held().size() == 4);
    var second = consumers(server, "instance-b");
    var secondId = await(vertx.deployVerticle(second));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.held().size() == 2 && second.held().size() == 2);
    assertThat(java.util.stream.Stream.concat(first.held().stream(), second.held().stream()).distinct().count()).isEqualTo(4);
    await(vertx.undeploy(secondId));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.held().size() == 4);
  }

  private IngestConsumers consumers(EmbeddedRedis server, String owner) {
    return new IngestConsumers(log, owner, new IngestMetrics(new SimpleMeterRegistry()), () -> System.nanoTime() / 1_000_000);
  }

  private void append(int from, int to) throws Exception {
    for (int fCnt = from; fCnt <= to; fCnt++) {
      await(log.append(new Uplink("0101010101010101", fCnt, 1, "00", false, null, Instant.parse("2026-11-29T10:00:00Z"),
          "chirpstack-v4", List.of())));
    }
  }

  /** What a decoder answers once every uplink of a batch is stored. */
  static JsonObject stored(List<Uplink> uplinks) {
    return Batch.toJson(Batch.RESULTS, uplinks.stream().map(u -> UplinkFate.of(u, UplinkStatus.STORED, null)).toList(),
        UplinkFate::toJson);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
