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
        .compose(indexed -> redis.connect()) // a connection of its own: a blocking read holds it
        .onSuccess(c -> {
          connection = c;
          vertx.runOnContext(v -> loop());
        });
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
      if (done.failed() && !stopped) {
        LOG.warn("alert history not indexed yet, retried in a second: {}", done.cause().getMessage());
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
    return connection.send(claim).compose(claimed -> {
      var entries = entries(claimed.get(1));
      if (!entries.isEmpty()) return Future.succeededFuture(entries);
      var read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(COUNT)
          .arg("BLOCK").arg(blockMs).arg("STREAMS").arg(RedisAlertStore.TRANSITIONS).arg(">");
      return connection.send(read).map(HistoryIndexer::streamEntries);
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
    var first = answer.get(0);
    if (first == null) return entries(answer.get(RedisAlertStore.TRANSITIONS));
    return entries(first.size() == 2 && first.get(0) != null && RedisAlertStore.TRANSITIONS.equals(first.get(0).toString())
        ? first.get(1) : answer.get(RedisAlertStore.TRANSITIONS));
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
