package io.vigie.common.redis;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer group of a Redis stream whose entries (one JSON field each) are stored elsewhere in batches: each read
 * batch is handed to {@code store} (e.g. one Elasticsearch bulk request keyed by entry id, so a batch stored twice is
 * not duplicated), then acknowledged ({@code XACK}); entries another consumer left pending more than
 * {@link #IDLE_MS} are taken over ({@code XAUTOCLAIM}); after a failure this consumer's own pending entries are read
 * again first. The group starts at the stream's beginning: nothing written before the first start is lost. The
 * store being down (e.g. Elasticsearch) does not fail the start: {@code prepare} and the batches are retried every
 * second until it answers.
 */
public final class StreamIndexer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StreamIndexer.class);
  public static final long IDLE_MS = 30_000;
  private static final int COUNT = 200;

  /** An entry read: its stream id and its JSON field. */
  public record Entry(String id, JsonObject json) {}

  private final Redis redis;
  private final String stream;
  private final String group;
  private final String field;
  private final Supplier<Future<Void>> prepare;
  private final Function<List<Entry>, Future<Void>> store;
  private final long blockMs;
  private final String consumer;
  private RedisConnection connection;
  private volatile boolean stopped;
  private boolean retryPending;
  private boolean prepared;

  /**
   * @param field   the entry field holding the JSON (other entries are skipped)
   * @param prepare run once before the first read (e.g. create the index)
   * @param blockMs how long one read waits for new entries
   */
  public StreamIndexer(Redis redis, String stream, String group, String field, Supplier<Future<Void>> prepare,
                       Function<List<Entry>, Future<Void>> store, long blockMs) {
    this.redis = redis;
    this.stream = stream;
    this.group = group;
    this.field = field;
    this.prepare = prepare;
    this.store = store;
    this.blockMs = blockMs;
    this.consumer = group + "-" + UUID.randomUUID();
  }

  @Override
  public Future<?> start() {
    var create = Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("0").arg("MKSTREAM");
    return redis.send(create).recover(e -> e.getMessage() != null && e.getMessage().contains("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(e))
        .onSuccess(created -> vertx.runOnContext(v -> loop()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (connection != null) connection.close();
    return Future.succeededFuture();
  }

  private void loop() {
    if (stopped) return;
    once().onComplete(done -> {
      if (stopped) return;
      if (done.failed()) {
        LOG.warn("{} of {} not stored yet, retried in a second: {}", group, stream, done.cause().getMessage());
        if (connection != null) connection.close();
        connection = null;
        retryPending = true;
        vertx.setTimer(1000, id -> loop());
      } else {
        loop();
      }
    });
  }

  /** Takes over stale entries, else reads new ones; stores and acknowledges them. */
  private Future<Integer> once() {
    if (!prepared) return prepare.get().map(done -> {
      prepared = true;
      return 0;
    });
    var claim = Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(group).arg(consumer).arg(IDLE_MS)
        .arg("0-0").arg("COUNT").arg(COUNT);
    // a connection of its own: a blocking read holds it
    var connected = connection != null ? Future.succeededFuture(connection) : redis.connect().onSuccess(c -> {
      connection = c;
      if (stopped) c.close();
    });
    return connected.compose(c -> c.send(claim)).compose(claimed -> {
      var entries = entries(claimed.get(1));
      if (!entries.isEmpty()) return Future.succeededFuture(entries);
      var read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(COUNT);
      if (!retryPending) read.arg("BLOCK").arg(blockMs);
      read.arg("STREAMS").arg(stream).arg(retryPending ? "0" : ">");
      return connection.send(read).map(this::streamEntries).onSuccess(pending -> {
        if (pending.isEmpty()) retryPending = false;
      });
    }).compose(entries -> (entries.isEmpty() ? Future.<Void>succeededFuture() : store.apply(entries)).compose(stored -> {
      if (entries.isEmpty()) return Future.succeededFuture(0);
      var ack = Request.cmd(Command.XACK).arg(stream).arg(group);
      entries.forEach(e -> ack.arg(e.id()));
      return connection.send(ack).map(entries.size());
    }));
  }

  /** The entries of an XREADGROUP answer (an array of [stream, entries] or, with RESP3, a map stream → entries). */
  private List<Entry> streamEntries(Response answer) {
    if (answer == null || answer.size() == 0) return List.of();
    try {
      var byStream = answer.get(stream);
      if (byStream != null) return entries(byStream);
    } catch (RuntimeException notAMap) {
      // RESP2: [[stream, entries]]
    }
    return entries(answer.get(0).get(1));
  }

  private List<Entry> entries(Response list) {
    var entries = new ArrayList<Entry>();
    if (list == null) return entries;
    for (var entry : list) {
      if (entry == null || entry.get(1) == null) continue; // deleted meanwhile (trimmed)
      var fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if (field.equals(fields.get(i).toString())) {
          entries.add(new Entry(entry.get(0).toString(), new JsonObject(fields.get(i + 1).toString())));
        }
      }
    }
    return entries;
  }
}
