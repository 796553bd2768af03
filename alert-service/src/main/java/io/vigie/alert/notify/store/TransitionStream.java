package io.vigie.alert.notify.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert core's stream of transitions, {@code vigie:{alerts}:transitions} (one field {@code alert}), read by the
 * consumer group {@code notify}: each entry goes to one instance, is acknowledged once notified, and is taken over
 * by another instance when it stays unacknowledged too long (a dead instance). The client must speak RESP2.
 */
public final class TransitionStream {
  public static final String KEY = "vigie:{alerts}:transitions";
  public static final String GROUP = "notify";

  /** An entry; {@code alert} is null for an entry trimmed away before it was read. */
  public record Entry(String id, String alert) {}

  /** Entries taken over and where the next take-over scan starts ({@code 0-0}: from the start). */
  public record Claimed(String next, List<Entry> entries) {}

  private final Redis redis;

  public TransitionStream(Redis redis) {
    this.redis = redis;
  }

  /** Creates the stream and the group when missing; the group starts at the end (no past transition is notified). */
  public Future<Void> createGroup() {
    return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(KEY).arg(GROUP).arg("$").arg("MKSTREAM"))
        .<Void>mapEmpty()
        .recover(e -> e.getMessage() != null && e.getMessage().contains("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** New entries for {@code consumer}, waiting up to {@code blockMs} when there are none. */
  public Future<List<Entry>> read(String consumer, int count, long blockMs) {
    return redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(count)
            .arg("BLOCK").arg(blockMs).arg("STREAMS").arg(KEY).arg(">"))
        .map(answer -> answer == null || answer.size() == 0 ? List.of() : entries(answer.get(0).get(1)));
  }

  /** Takes over the entries unacknowledged for {@code minIdleMs} or more, scanning from {@code start}. */
  public Future<Claimed> claimIdle(String consumer, long minIdleMs, String start, int count) {
    return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(KEY).arg(GROUP).arg(consumer).arg(minIdleMs).arg(start)
            .arg("COUNT").arg(count))
        .map(answer -> {
          var entries = new ArrayList<>(entries(answer.get(1)));
          if (answer.size() > 2 && answer.get(2) != null) answer.get(2).forEach(id -> entries.add(new Entry(id.toString(), null)));
          return new Claimed(answer.get(0).toString(), entries);
        });
  }

  /** Tells the group these entries are still being worked on (resets their idle time). */
  public Future<Void> keepAlive(String consumer, List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    var request = Request.cmd(Command.XCLAIM).arg(KEY).arg(GROUP).arg(consumer).arg(0);
    ids.forEach(request::arg);
    return redis.send(request.arg("JUSTID")).mapEmpty();
  }

  /**
   * Removes the consumers of instances gone for {@code idleMs} or more with nothing pending (each instance joins as a
   * new consumer); the number removed.
   */
  public Future<Integer> forgetIdleConsumers(String self, long idleMs) {
    return redis.send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(KEY).arg(GROUP)).compose(consumers -> {
      var removals = new ArrayList<Future<?>>();
      for (var consumer : consumers) {
        var name = field(consumer, "name");
        var pending = field(consumer, "pending");
        var idle = field(consumer, "idle");
        if (name == null || pending == null || idle == null) continue;
        if (!name.toString().equals(self) && pending.toLong() == 0 && idle.toLong() >= idleMs) {
          removals.add(redis.send(Request.cmd(Command.XGROUP).arg("DELCONSUMER").arg(KEY).arg(GROUP).arg(name.toString())));
        }
      }
      return Future.all(removals).map(done -> removals.size());
    });
  }

  public Future<Void> ack(String id) {
    return redis.send(Request.cmd(Command.XACK).arg(KEY).arg(GROUP).arg(id)).mapEmpty();
  }

  /** A field of an {@code XINFO} answer: a map, or a flat list of names and values. */
  private static Response field(Response info, String name) {
    if (info.isMap()) return info.get(name);
    for (int i = 0; i + 1 < info.size(); i += 2) {
      if (name.equals(info.get(i).toString())) return info.get(i + 1);
    }
    return null;
  }

  private static List<Entry> entries(Response range) {
    var out = new ArrayList<Entry>();
    if (range == null) return out;
    for (var item : range) {
      if (item == null) continue;
      String alert = null;
      var fields = item.size() > 1 ? item.get(1) : null;
      for (int i = 0; fields != null && i + 1 < fields.size(); i += 2) {
        if ("alert".equals(fields.get(i).toString())) alert = fields.get(i + 1).toString();
      }
      out.add(new Entry(item.get(0).toString(), alert));
    }
    return out;
  }
}
