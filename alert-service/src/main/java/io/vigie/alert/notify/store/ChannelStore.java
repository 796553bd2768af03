package io.vigie.alert.notify.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.alert.notify.domain.Channel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Notification channels in Redis ({@code vigie:notify:} prefix): {@code channel:<tenant>:<id>} (JSON with the secret
 * and the node's path), {@code channels:<tenant>} (the ids) and {@code channels:<tenant>:node:<nodeId>} (the ids on a
 * node). The channels of a transition: one pipelined {@code SMEMBERS} per node of its path, then one {@code MGET}. An
 * index entry left behind by a concurrent move of a channel is ignored (the channel's own node decides).
 */
public final class ChannelStore {
  /** A stored channel and the ids from the tenant root down to its node, as when it was put. */
  public record Stored(Channel channel, List<String> pathIds) {}

  private final Redis redis;

  public ChannelStore(Redis redis) {
    this.redis = redis;
  }

  static String key(String tenant, String id) {
    return "vigie:notify:channel:" + tenant + ":" + id;
  }

  static String tenantKey(String tenant) {
    return "vigie:notify:channels:" + tenant;
  }

  static String nodeKey(String tenant, String nodeId) {
    return "vigie:notify:channels:" + tenant + ":node:" + nodeId;
  }

  public Future<Optional<Stored>> get(String tenant, String id) {
    return redis.send(Request.cmd(Command.GET).arg(key(tenant, id)))
        .map(answer -> answer == null ? Optional.empty() : Optional.of(stored(answer)));
  }

  /** Stores the channel, replacing {@code previous} (null: none). */
  public Future<Void> put(Stored channel, Stored previous) {
    var c = channel.channel();
    var json = c.toStored().put("path", channel.pathIds());
    var requests = new ArrayList<Request>();
    requests.add(Request.cmd(Command.SET).arg(key(c.tenant(), c.id())).arg(json.encode()));
    if (previous != null && !previous.channel().nodeId().equals(c.nodeId())) {
      requests.add(Request.cmd(Command.SREM).arg(nodeKey(c.tenant(), previous.channel().nodeId())).arg(c.id()));
    }
    requests.add(Request.cmd(Command.SADD).arg(nodeKey(c.tenant(), c.nodeId())).arg(c.id()));
    requests.add(Request.cmd(Command.SADD).arg(tenantKey(c.tenant())).arg(c.id()));
    return redis.batch(requests).mapEmpty();
  }

  public Future<Void> delete(Channel channel) {
    return redis.batch(List.of(
        Request.cmd(Command.DEL).arg(key(channel.tenant(), channel.id())),
        Request.cmd(Command.SREM).arg(nodeKey(channel.tenant(), channel.nodeId())).arg(channel.id()),
        Request.cmd(Command.SREM).arg(tenantKey(channel.tenant())).arg(channel.id()))).mapEmpty();
  }

  /** Every channel of the tenant. */
  public Future<List<Stored>> all(String tenant) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(tenantKey(tenant)))
        .compose(ids -> load(tenant, ids == null ? List.of() : ids.stream().map(Response::toString).toList()))
        .map(found -> found.stream().filter(s -> s.channel().tenant().equals(tenant)).toList());
  }

  /** The channels defined on the nodes of a path (the nearest last): those that notify a device there. */
  public Future<List<Channel>> onPath(String tenant, List<String> pathIds) {
    if (pathIds.isEmpty()) return Future.succeededFuture(List.of());
    var members = new ArrayList<Request>();
    pathIds.forEach(nodeId -> members.add(Request.cmd(Command.SMEMBERS).arg(nodeKey(tenant, nodeId))));
    return redis.batch(members).compose(answers -> {
      var ids = new LinkedHashSet<String>();
      answers.forEach(set -> { if (set != null) set.forEach(id -> ids.add(id.toString())); });
      return load(tenant, List.copyOf(ids));
    }).map(found -> found.stream().map(Stored::channel)
        .filter(c -> c.tenant().equals(tenant) && pathIds.contains(c.nodeId())).toList());
  }

  private Future<List<Stored>> load(String tenant, List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    return RedisClients.values(redis, ids.stream().map(id -> key(tenant, id)).toList()).map(values -> {
      var out = new ArrayList<Stored>();
      for (var value : values) if (value != null) out.add(stored(value));
      return out;
    });
  }

  private static Stored stored(Response answer) {
    var json = new JsonObject(answer.toString());
    return new Stored(Channel.fromStored(json), json.getJsonArray("path").stream().map(String::valueOf).toList());
  }
}
