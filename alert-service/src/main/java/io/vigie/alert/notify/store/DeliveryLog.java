package io.vigie.alert.notify.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.notify.domain.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recent attempts per channel ({@code vigie:notify:deliveries:<tenant>:<channel>}, a list, newest first, bounded)
 * and which channels a transition has been notified to ({@code vigie:notify:sent:<entry id>}, a set kept a day): a
 * transition taken over from a dead instance is not sent again where it already went.
 */
public record DeliveryLog(Redis redis, int kept) {
  static final int SENT_KEPT_SECONDS = 86_400;

  static String key(String tenant, String channelId) {
    return "vigie:notify:deliveries:" + tenant + ":" + channelId;
  }

  static String sentKey(String entryId) {
    return "vigie:notify:sent:" + entryId;
  }

  public Future<Void> record(String tenant, String channelId, Delivery delivery) {
    return redis.batch(List.of(
        Request.cmd(Command.LPUSH).arg(key(tenant, channelId)).arg(delivery.toJson().encode()),
        Request.cmd(Command.LTRIM).arg(key(tenant, channelId)).arg(0).arg(kept - 1))).mapEmpty();
  }

  public Future<List<JsonObject>> recent(String tenant, String channelId) {
    return redis.send(Request.cmd(Command.LRANGE).arg(key(tenant, channelId)).arg(0).arg(kept - 1)).map(values -> {
      var out = new ArrayList<JsonObject>();
      if (values != null) values.forEach(value -> out.add(new JsonObject(value.toString())));
      return out;
    });
  }

  public Future<Void> forget(String tenant, String channelId) {
    return redis.send(Request.cmd(Command.DEL).arg(key(tenant, channelId))).mapEmpty();
  }

  /** Marks the stream entry as notified to this channel (done or given up). */
  public Future<Void> sent(String entryId, String tenant, String channelId) {
    return redis.batch(List.of(
        Request.cmd(Command.SADD).arg(sentKey(entryId)).arg(tenant + ":" + channelId),
        Request.cmd(Command.EXPIRE).arg(sentKey(entryId)).arg(SENT_KEPT_SECONDS))).mapEmpty();
  }

  /** The {@code <tenant>:<channel>} the entry has been notified to. */
  public Future<Set<String>> sentTo(String entryId) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(sentKey(entryId)))
        .map(members -> members == null ? Set.of() : members.stream().map(Object::toString).collect(Collectors.toSet()));
  }
}
