package io.vigie.alert.history;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.alert.store.RedisAlertStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer group {@code history} of the transitions stream: each read batch is indexed into Elasticsearch in one bulk
 * request, then acknowledged ({@code XACK}); entries another consumer left pending more than {@link #IDLE_MS} are
 * taken over ({@code XAUTOCLAIM}). The document id is the entry id, so a batch indexed twice is not duplicated.
 */
public final class HistoryIndexer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryIndexer.class);
  public static final String GROUP = "history";
  static final long IDLE_MS = 30_000;
  private static final int COUNT = 200;

  private final Redis redis;
  private final AlertHistory history;
  private final long blockMs;
  private final String consumer = "history-" + UUID.randomUUID();
  private RedisConnection connection;
  private volatile boolean stopped;
  /** After a failure: this consumer's own pending entries are read again first (else only after {@link #IDLE_MS}). */
  private boolean retryPending;

  /** @param blockMs how long one read waits for new transitions */
  public HistoryIndexer(Redis redis, AlertHistory history, long blockMs) {
    this.redis = redis;
    this.history = history;
    this.blockMs = blockMs;
  }

  @Override
  public Future<?> start() {
    var group = Request.cmd(Command.XGROUP).arg("CREATE").arg(RedisAlertStore.TRANSITIONS).arg(GROUP).arg("0").arg("MKSTREAM");
    return redis.send(group).recover(e -> e.getMessage() != null && e.getMessage().contains("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(e))
        .compose(created -> history.ensureIndex())
        .onSuccess(indexed -> vertx.runOnContext(v -> loop()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (connection != null) connection.close();
    history.close();
    return Future.succeededFuture();
  }

  private void loop() {
    if (stopped) return;
    once().onComplete(done -> {
      if (stopped) return;
      if (done.failed()) {
        LOG.warn("alert history not indexed yet, retried in a second: {}", done.cause().getMessage());
        if (connection != null) connection.close();
        connection = null;
        retryPending = true;
        vertx.setTimer(1000, id -> loop());
      } else {
        loop();
      }
    });
  }

  /** Takes over stale entries, else reads new ones; indexes and acknowledges them. */
  private Future<Integer> once() {
    var claim = Request.cmd(Command.XAUTOCLAIM).arg(RedisAlertStore.TRANSITIONS).arg(GROUP).arg(consumer).arg(IDLE_MS)
        .arg("0-0").arg("COUNT").arg(COUNT);
    // a connection of its own: a blocking read holds it
    var connected = connection != null ? Future.succeededFuture(connection) : redis.connect().onSuccess(c -> {
      connection = c;
      if (stopped) c.close();
    });
    return connected.compose(c -> c.send(claim)).compose(claimed -> {
      var entries = entries(claimed.get(1));
      if (!entries.isEmpty()) return Future.succeededFuture(entries);
      var read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(COUNT);
      if (!retryPending) read.arg("BLOCK").arg(blockMs);
      read.arg("STREAMS").arg(RedisAlertStore.TRANSITIONS).arg(retryPending ? "0" : ">");
      return connection.send(read).map(HistoryIndexer::streamEntries).onSuccess(pending -> {
        if (pending.isEmpty()) retryPending = false;
      });
    }).compose(entries -> history.index(entries).compose(indexed -> {
      if (entries.isEmpty()) return Future.succeededFuture(0);
      var ack = Request.cmd(Command.XACK).arg(RedisAlertStore.TRANSITIONS).arg(GROUP);
      entries.forEach(e -> ack.arg(e.entryId()));
      return connection.send(ack).map(entries.size());
    }));
  }

  /** The entries of an XREADGROUP answer (an array of [stream, entries] or, with RESP3, a map stream → entries). */
  private static List<AlertHistory.Transition> streamEntries(Response answer) {
    if (answer == null || answer.size() == 0) return List.of();
    try {
      var byStream = answer.get(RedisAlertStore.TRANSITIONS);
      if (byStream != null) return entries(byStream);
    } catch (RuntimeException notAMap) {
      // RESP2: [[stream, entries]]
    }
    return entries(answer.get(0).get(1));
  }

  private static List<AlertHistory.Transition> entries(Response list) {
    var entries = new ArrayList<AlertHistory.Transition>();
    if (list == null) return entries;
    for (var entry : list) {
      if (entry == null || entry.get(1) == null) continue; // deleted meanwhile (trimmed)
      var fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("alert".equals(fields.get(i).toString())) {
          entries.add(new AlertHistory.Transition(entry.get(0).toString(), new JsonObject(fields.get(i + 1).toString())));
        }
      }
    }
    return entries;
  }
}
