package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.RedisConnection;
import io.vigie.common.bus.StageRequests;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.Batch;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.gateway.store.IngestLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one partition of the ingest log while its lease is held: reads from the head what is there (up to
 * {@code ingest.batch} entries; a blocking {@code XREAD} on a connection of its own, so an idle partition costs no
 * CPU and a new entry is seen at once), sends ONE batch request on {@code uplink.received}, waits for its reply, then
 * removes the entries and records their fates in one pipelined round trip, and reads again: at once after a full
 * batch, else no sooner than {@code ingest.lingerMs} after the previous batch was taken, so that batches grow under
 * load (a lone uplink after a quiet time is read at once). The request waits {@code bus.stageTimeout.decode}, and is
 * sent again at once when a cluster member leaves ({@link StageRequests}). A failed or timed-out reply keeps the
 * entries: the same batch is sent again after a backoff (200 ms doubling to 5 s), and reaches another decoder if one
 * died. Confined to the context of the verticle that starts it.
 */
final class PartitionConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionConsumer.class);
  private static final long BLOCK_MS = 1000;
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5000;
  private static final long LEASE_RECHECK_MS = 50;

  /**
   * Who drains what.
   *
   * @param leaseValid true while the lease is known to be held (checked before every read and batch: while false the
   *     consumer waits)
   */
  record Holder(int partition, String owner, BooleanSupplier leaseValid) {}

  private final Vertx vertx;
  /** A client of its own: its one connection blocks in XREAD, and closing it cuts that read at once. */
  private final Redis redis;
  private final IngestLog log;
  private final Holder holder;
  private final IngestMetrics metrics;
  private final StageRequests decoders;
  private RedisConnection connection;
  private boolean running = true;
  private long backoffMs = MIN_BACKOFF_MS;
  private long timer = -1;
  /** When the last read answered (System.nanoTime). */
  private long takenAt;
  /** A batch was sent down the pipeline and is not yet removed from the log. */
  private boolean batchInFlight;
  /** Set by {@link #drain()}: completed once the consumer stopped. */
  private io.vertx.core.Promise<Void> drained;

  PartitionConsumer(Vertx vertx, IngestLog log, Holder holder, IngestMetrics metrics, StageRequests decoders) {
    this.decoders = decoders;
    this.vertx = vertx;
    // its one connection stays held for the blocking reads; on a Redis Cluster the client also refreshes its slot map
    // (every second) through the pool: a second connection per node, else the refresh waits forever
    this.redis = RedisClients.create(vertx, log.settings().redisUrl(), IngestLog.options().setMaxPoolSize(2));
    this.log = log;
    this.holder = holder;
    this.metrics = metrics;
  }

  void start() {
    LOG.info("ingest partition {}: lease taken by {}, draining from the head", holder.partition(), holder.owner());
    read();
  }

  /** Stops at once: no further batch, no removal; a blocked read is cut by closing its connection. */
  void stop() {
    if (!running) return;
    running = false;
    vertx.cancelTimer(timer);
    redis.close();
    LOG.info("ingest partition {}: consumer of {} stopped", holder.partition(), holder.owner());
    if (drained != null) drained.tryComplete();
  }

  /**
   * The graceful stop: the batch in flight, if any, finishes (answered and removed from the log, or left there when it
   * fails), no further one is read; completes once stopped.
   */
  Future<Void> drain() {
    if (!running) return Future.succeededFuture();
    if (drained == null) drained = io.vertx.core.Promise.promise();
    if (!batchInFlight) stop();
    return drained.future();
  }

  private boolean active() {
    if (running && drained != null) stop();
    return running;
  }

  boolean running() {
    return running;
  }

  /**
   * Whether the lease is known to be held. When it is not (its time ran out before a renewal was answered: a slow
   * Redis or a busy event loop), nothing is sent and {@code step} runs again a moment later: it proceeds once the
   * renewal lands, and {@link #stop()} comes instead when the lease is lost. The consumer never stops itself here, or
   * a renewal answered late would keep the lease of a consumer that no longer drains it.
   */
  private boolean leaseHeld(Runnable step) {
    if (holder.leaseValid().getAsBoolean()) return true;
    timer = vertx.setTimer(LEASE_RECHECK_MS, id -> step.run());
    return false;
  }

  private void read() {
    if (!active() || !leaseHeld(this::read)) return;
    var connected = connection != null ? Future.succeededFuture(connection) : redis.connect().onSuccess(c -> {
      connection = c;
      c.exceptionHandler(e -> connection = null);
      if (!running) c.close();
    });
    connected.compose(c -> c.send(log.readHead(holder.partition(), log.settings().batch(), BLOCK_MS)))
        .onSuccess(answer -> {
          if (!active()) return;
          takenAt = System.nanoTime();
          var entries = IngestLog.entriesOfRead(answer);
          if (entries.isEmpty()) {
            read();
            return;
          }
          var now = System.currentTimeMillis();
          for (var entry : entries) metrics.waited(IngestLog.appendedAt(entry.id()), now);
          deliver(entries);
        })
        .onFailure(e -> {
          if (connection != null) connection.close();
          connection = null;
          retry("cannot read the log: " + e.getMessage(), this::read);
        });
  }

  private void deliver(List<IngestLog.Entry> entries) {
    if (!active() || !leaseHeld(() -> deliver(entries))) return;
    batchInFlight = true;
    var sentAt = System.nanoTime();
    var readable = entries.stream().filter(IngestLog.Entry::readable).toList();
    if (readable.isEmpty()) {
      complete(entries, List.of(), sentAt);
      return;
    }
    var uplinks = readable.stream().map(IngestLog.Entry::uplink).toList();
    decoders.<Object>request(Batch.toJson(Batch.UPLINKS, readable, IngestLog.Entry::json))
        .map(reply -> fates(uplinks, reply.body()))
        .onSuccess(fates -> complete(entries, fates, sentAt))
        .onFailure(e -> {
          batchInFlight = false;
          metrics.batch("failed");
          retry("batch of " + entries.size() + " not processed: " + e.getMessage(), () -> deliver(entries));
        });
  }

  private void complete(List<IngestLog.Entry> entries, List<UplinkFate> fates, long sentAt) {
    if (!running) return; // lost meanwhile: the new holder processes them again
    metrics.batch("done");
    log.complete(holder.partition(), holder.owner(), entries, fates).onComplete(done -> {
      batchInFlight = false;
      if (done.failed()) {
        retry("batch done but not removed from the log: " + done.cause().getMessage(), this::read);
      } else {
        if (!done.result()) stop();
        deadLettered(entries);
        metrics.batchDone(System.nanoTime() - sentAt);
        backoffMs = MIN_BACKOFF_MS;
        readAfter(entries.size());
      }
    });
  }

  /** Says which entries of a batch done could not be read, and went to the dead letters (not their content). */
  private void deadLettered(List<IngestLog.Entry> entries) {
    for (var entry : entries) {
      if (entry.readable()) continue;
      metrics.deadLetter();
      LOG.error("ingest partition {}: entry {} cannot be read ({}): moved to the dead letters, stream vigie:ingest:{p{}}:dead",
          holder.partition(), entry.id(), entry.unreadable(), holder.partition());
    }
  }

  /** At once after a full batch; after a smaller one, once {@code ingest.lingerMs} passed since it was taken. */
  private void readAfter(int batchSize) {
    var waitMs = batchSize >= log.settings().batch() ? 0
        : log.settings().lingerMs() - (System.nanoTime() - takenAt) / 1_000_000;
    if (waitMs <= 0) read();
    else timer = vertx.setTimer(waitMs, id -> read());
  }

  /** One fate per uplink, in order; the devEui of the uplink when the fate does not say (a frame never read). */
  private static List<UplinkFate> fates(List<Uplink> uplinks, Object reply) {
    var results = FateBatch.of(reply).results();
    if (results.size() != uplinks.size()) {
      throw new IllegalStateException(results.size() + " results for " + uplinks.size() + " uplinks");
    }
    var fates = new ArrayList<UplinkFate>(results.size());
    for (int i = 0; i < results.size(); i++) {
      var fate = results.get(i);
      var uplink = uplinks.get(i);
      fates.add(fate.devEui() != null ? fate : new UplinkFate(fate.id() != null ? fate.id() : uplink.id(), uplink.devEui(),
          fate.fCnt(), fate.receivedAt(), fate.source(), fate.status(), fate.reason(), fate.measurements()));
    }
    return fates;
  }

  private void retry(String why, Runnable again) {
    if (!active()) return;
    LOG.warn("ingest partition {}: {}; again in {} ms", holder.partition(), why, backoffMs);
    timer = vertx.setTimer(backoffMs, id -> again.run());
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
  }
}
