package io.vigie.alert.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertChange;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.common.redis.RedisScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Redis layout (all keys under {@code vigie:alerts:}):
 * <ul>
 *   <li>{@code alert:<id>} — the alert JSON, kept after it clears (history);</li>
 *   <li>{@code current:<devEui>:<ruleId>} — the id of the device+rule's alert while it is not cleared;</li>
 *   <li>{@code fcnt:<devEui>} — the last evaluated frame counter of the device;</li>
 *   <li>{@code tenant:<tenant>} — sorted set of the tenant's alert ids, scored by start time (ms).</li>
 * </ul>
 */
public final class RedisAlertStore implements AlertStore {
  private static final String PREFIX = "vigie:alerts:";

  /**
   * KEYS[1] the counter; then per change KEYS alert, current pointer, tenant index.
   * ARGV[1] the expected counter (-1: none), ARGV[2] the new counter; then per change
   * ARGV json, "set"|"del" (the current pointer), score, id.
   * Returns 1 committed, 0 already evaluated, -1 conflict.
   */
  static final String COMMIT = """
      local stored = redis.call('GET', KEYS[1])
      local last = -1
      if stored then last = tonumber(stored) end
      local fcnt = tonumber(ARGV[2])
      if fcnt <= last then return 0 end
      if last ~= tonumber(ARGV[1]) then return -1 end
      local changes = (#KEYS - 1) / 3
      for i = 0, changes - 1 do
        local k = 2 + i * 3
        local a = 3 + i * 4
        redis.call('SET', KEYS[k], ARGV[a])
        if ARGV[a + 1] == 'set' then
          redis.call('SET', KEYS[k + 1], ARGV[a + 3])
        else
          redis.call('DEL', KEYS[k + 1])
        end
        redis.call('ZADD', KEYS[k + 2], ARGV[a + 2], ARGV[a + 3])
      end
      redis.call('SET', KEYS[1], ARGV[2])
      return 1
      """;

  /**
   * KEYS[1] the counter, then the current pointers of the rules. Returns {counter or false, then per rule the current
   * alert's JSON or false}.
   */
  static final String LOAD = """
      local result = {redis.call('GET', KEYS[1])}
      for i = 2, #KEYS do
        local id = redis.call('GET', KEYS[i])
        if id then result[i] = redis.call('GET', ARGV[1] .. id) else result[i] = false end
      end
      return result
      """;

  private final Redis redis;
  private final RedisScript load;
  private final RedisScript commit;

  public RedisAlertStore(Redis redis) {
    this.redis = redis;
    this.load = new RedisScript(redis, "alert-load", LOAD);
    this.commit = new RedisScript(redis, "alert-commit", COMMIT);
  }

  static String alertKey(String id) {
    return PREFIX + "alert:" + id;
  }

  static String currentKey(String devEui, String ruleId) {
    return PREFIX + "current:" + devEui + ":" + ruleId;
  }

  static String fCntKey(String devEui) {
    return PREFIX + "fcnt:" + devEui;
  }

  static String tenantKey(String tenant) {
    return PREFIX + "tenant:" + tenant;
  }

  @Override
  public Future<List<DeviceState>> loadAll(List<String> devEuis, List<String> ruleIds) {
    var calls = new ArrayList<RedisScript.Call>(devEuis.size());
    for (var devEui : devEuis) {
      var keys = new ArrayList<String>();
      keys.add(fCntKey(devEui));
      ruleIds.forEach(ruleId -> keys.add(currentKey(devEui, ruleId)));
      calls.add(new RedisScript.Call(keys, List.of(alertKey(""))));
    }
    return load.batch(calls).map(responses -> responses.stream().map(RedisAlertStore::state).toList());
  }

  private static DeviceState state(Response response) {
    var last = response.get(0) == null ? DeviceState.NONE : response.get(0).toLong();
    var byRule = new HashMap<String, Alert>();
    for (int i = 1; i < response.size(); i++) {
      var json = response.get(i);
      if (json == null) continue;
      var alert = Alert.fromJson(new JsonObject(json.toString()));
      if (alert.status() != AlertStatus.CLEARED) byRule.put(alert.ruleId(), alert);
    }
    return new DeviceState(last, Map.copyOf(byRule));
  }

  @Override
  public Future<List<CommitOutcome>> commitAll(List<Commit> commits) {
    var calls = new ArrayList<RedisScript.Call>(commits.size());
    for (var one : commits) {
      var keys = new ArrayList<String>();
      var args = new ArrayList<String>();
      keys.add(fCntKey(one.devEui()));
      args.add(Long.toString(one.expectedLastFCnt()));
      args.add(Long.toString(one.fCnt()));
      for (var change : one.changes()) {
        var alert = change.alert();
        keys.add(alertKey(alert.id()));
        keys.add(currentKey(alert.devEui(), alert.ruleId()));
        keys.add(tenantKey(alert.tenant()));
        args.add(alert.toJson().encode());
        args.add(alert.status() == AlertStatus.CLEARED ? "del" : "set");
        args.add(Long.toString(alert.startedAt().toEpochMilli()));
        args.add(alert.id());
      }
      calls.add(new RedisScript.Call(keys, args));
    }
    return commit.batch(calls).map(responses -> responses.stream().map(response -> switch (response.toInteger()) {
      case 1 -> CommitOutcome.COMMITTED;
      case 0 -> CommitOutcome.ALREADY_EVALUATED;
      default -> CommitOutcome.CONFLICT;
    }).toList());
  }

  @Override
  public Future<Optional<Alert>> get(String id) {
    return redis.send(Request.cmd(Command.GET).arg(alertKey(id)))
        .map(response -> Optional.ofNullable(response).map(r -> Alert.fromJson(new JsonObject(r.toString()))));
  }

  @Override
  public Future<List<Alert>> listByTenant(String tenant) {
    return redis.send(Request.cmd(Command.ZREVRANGE).arg(tenantKey(tenant)).arg(0).arg(-1))
        .compose(ids -> {
          var list = new ArrayList<String>();
          if (ids != null) ids.forEach(id -> list.add(id.toString()));
          return alerts(list);
        });
  }

  /** The alerts of these ids, in the same order, skipping ids without a stored alert. */
  private Future<List<Alert>> alerts(List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    var mget = Request.cmd(Command.MGET);
    ids.forEach(id -> mget.arg(alertKey(id)));
    return redis.send(mget).map(response -> {
      var alerts = new ArrayList<Alert>();
      for (var value : response) {
        if (value != null) alerts.add(Alert.fromJson(new JsonObject(value.toString())));
      }
      return alerts;
    });
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}
