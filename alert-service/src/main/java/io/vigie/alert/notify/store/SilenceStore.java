package io.vigie.alert.notify.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.alert.notify.domain.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Silences in Redis ({@code vigie:notify:} prefix): {@code silence:<id>} (JSON, kept a week past its end),
 * {@code silences:<tenant>} (ids by end time) and {@code silenced:<tenant>:node:<id>} /
 * {@code silenced:<tenant>:device:<devEui>} (the silences of one target by end time): whether a transition is
 * silenced is one pipelined {@code ZCOUNT} per node of its path.
 */
public final class SilenceStore {
  /** A silence stays readable this long after its end. */
  static final Duration KEPT_AFTER_END = Duration.ofDays(7);

  private final Redis redis;

  public SilenceStore(Redis redis) {
    this.redis = redis;
  }

  static String key(String id) {
    return "vigie:notify:silence:" + id;
  }

  static String tenantKey(String tenant) {
    return "vigie:notify:silences:" + tenant;
  }

  static String targetKey(String tenant, String nodeId, String devEui) {
    return devEui != null ? "vigie:notify:silenced:" + tenant + ":device:" + devEui
        : "vigie:notify:silenced:" + tenant + ":node:" + nodeId;
  }

  public Future<Void> create(Silence silence) {
    var until = Long.toString(silence.until().toEpochMilli());
    var target = targetKey(silence.tenant(), silence.nodeId(), silence.devEui());
    var ended = "(" + silence.createdAt().toEpochMilli();
    return redis.batch(List.of(
        Request.cmd(Command.SET).arg(key(silence.id())).arg(silence.toStored().encode())
            .arg("PXAT").arg(silence.until().plus(KEPT_AFTER_END).toEpochMilli()),
        Request.cmd(Command.ZADD).arg(tenantKey(silence.tenant())).arg(until).arg(silence.id()),
        Request.cmd(Command.ZADD).arg(target).arg(until).arg(silence.id()),
        Request.cmd(Command.ZREMRANGEBYSCORE).arg(target).arg("-inf").arg(ended),
        Request.cmd(Command.ZREMRANGEBYSCORE).arg(tenantKey(silence.tenant())).arg("-inf")
            .arg("(" + silence.createdAt().minus(KEPT_AFTER_END).toEpochMilli()))).mapEmpty();
  }

  public Future<Optional<Silence>> get(String id) {
    return redis.send(Request.cmd(Command.GET).arg(key(id)))
        .map(answer -> answer == null ? Optional.empty() : Optional.of(Silence.fromStored(new JsonObject(answer.toString()))));
  }

  public Future<Void> delete(Silence silence) {
    return redis.batch(List.of(
        Request.cmd(Command.DEL).arg(key(silence.id())),
        Request.cmd(Command.ZREM).arg(tenantKey(silence.tenant())).arg(silence.id()),
        Request.cmd(Command.ZREM).arg(targetKey(silence.tenant(), silence.nodeId(), silence.devEui())).arg(silence.id())))
        .mapEmpty();
  }

  /** The tenant's silences still running at {@code now}, soonest end first. */
  public Future<List<Silence>> active(String tenant, Instant now) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(tenantKey(tenant)).arg("(" + now.toEpochMilli()).arg("+inf"))
        .compose(ids -> {
          if (ids == null || ids.size() == 0) return Future.succeededFuture(List.<Silence>of());
          var keys = new ArrayList<String>();
          ids.forEach(id -> keys.add(key(id.toString())));
          return RedisClients.values(redis, keys).map(SilenceStore::silences);
        });
  }

  /** True when a silence running at {@code now} covers this device or a node of its path. */
  public Future<Boolean> silenced(String tenant, String devEui, List<String> pathIds, Instant now) {
    var counts = new ArrayList<Request>();
    var after = "(" + now.toEpochMilli();
    if (devEui != null) counts.add(Request.cmd(Command.ZCOUNT).arg(targetKey(tenant, null, devEui)).arg(after).arg("+inf"));
    for (var nodeId : pathIds) {
      counts.add(Request.cmd(Command.ZCOUNT).arg(targetKey(tenant, nodeId, null)).arg(after).arg("+inf"));
    }
    if (counts.isEmpty()) return Future.succeededFuture(false);
    return redis.batch(counts).map(answers -> answers.stream().anyMatch(count -> count != null && count.toLong() > 0));
  }

  private static List<Silence> silences(List<Response> values) {
    var out = new ArrayList<Silence>();
    for (var value : values) {
      if (value != null) out.add(Silence.fromStored(new JsonObject(value.toString())));
    }
    return out;
  }
}
