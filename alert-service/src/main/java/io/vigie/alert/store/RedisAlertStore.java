package io.vigie.alert.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertOp;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.alert.domain.RuleState;
import io.vigie.common.redis.RedisScript;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert state in Redis (keys under {@code vigie:{alerts}:}, one hash tag: an evaluation's commit touches the
 * device's keys, its alerts, the tenant index, the timers and the transitions stream atomically, so on a Redis
 * Cluster they all share one slot): {@code alert:<id>} (JSON, kept after it clears),
 * {@code current:<devEui>:<ruleId>} (id of the device+rule's open alert), {@code fcnt:<devEui>} (last evaluated
 * counter), {@code state:<devEui>} (what the rules remember of the device), {@code tenant:<tenant>} (alert ids by
 * start time), {@code deadlines} (timers: no-data and escalation, by due time) and the stream {@code transitions}.
 */
public final class RedisAlertStore {
  public static final String PREFIX = "vigie:{alerts}:";
  public static final String TRANSITIONS = PREFIX + "transitions";
  static final String DEADLINES = PREFIX + "deadlines";
  static final String STREAM_LENGTH = "100000";
  /** Devices per call of the commit script: bounds how long one call keeps Redis busy (a batch holds up to 256 uplinks). */
  static final int DEVICES_PER_CALL = 64;

  /** What an evaluation needs to know about a device before deciding. */
  public record DeviceState(long lastEvaluatedFCnt, Map<String, RuleState> rules, Map<String, Alert> open) {
    public static final long NONE = -1;
  }

  /** One device's evaluation to save (its part of an {@link AlertScripts#COMMIT} call); {@code checks} maps rule ids to the open alert read ("" none). */
  public record Commit(String devEui, String tenant, long expectedLastFCnt, long fCnt, Map<String, RuleState> rules,
                       Map<String, String> checks, List<AlertOp> ops, List<Timer> deadlines) {}

  /** A timer to set ({@code add}) or drop. */
  public record Timer(boolean add, String member, long score) {}

  public enum Outcome { COMMITTED, ALREADY_EVALUATED, CONFLICT }

  /** How a commit ended, and each op's alert afterwards (with {@code transition}, {@code at}, {@code by} when one). */
  public record Committed(Outcome outcome, List<JsonObject> alerts) {}

  private final Redis redis;
  private final RedisScript commit;
  final RedisScript act;
  final RedisScript open;
  final RedisScript escalate;
  final RedisScript claim;

  public RedisAlertStore(Redis redis) {
    this.redis = redis;
    this.commit = new RedisScript(redis, "alert-commit", AlertScripts.COMMIT);
    this.act = new RedisScript(redis, "alert-act", AlertScripts.ACT);
    this.open = new RedisScript(redis, "alert-open", AlertScripts.OPEN);
    this.escalate = new RedisScript(redis, "alert-escalate", AlertScripts.ESCALATE);
    this.claim = new RedisScript(redis, "alert-claim", AlertScripts.CLAIM);
  }

  public Redis redis() {
    return redis;
  }

  static String alertKey(String id) {
    return PREFIX + "alert:" + id;
  }

  static String currentKey(String devEui, String ruleId) {
    return PREFIX + "current:" + devEui + ":" + ruleId;
  }

  static String tenantKey(String tenant) {
    return PREFIX + "tenant:" + tenant;
  }

  /** The devices' states for these rules (rule ids per device): two pipelined round trips. */
  public Future<List<DeviceState>> loadAll(List<String> devEuis, List<List<String>> ruleIds) {
    var requests = new ArrayList<Request>();
    for (int i = 0; i < devEuis.size(); i++) {
      var devEui = devEuis.get(i);
      var mget = Request.cmd(Command.MGET).arg(PREFIX + "fcnt:" + devEui).arg(PREFIX + "state:" + devEui);
      ruleIds.get(i).forEach(ruleId -> mget.arg(currentKey(devEui, ruleId)));
      requests.add(mget);
    }
    return redis.batch(requests).compose(answers -> {
      var ids = new ArrayList<String>();
      answers.forEach(a -> { for (int j = 2; j < a.size(); j++) if (a.get(j) != null) ids.add(a.get(j).toString()); });
      return alerts(ids).map(alerts -> {
        var byId = new HashMap<String, Alert>();
        alerts.forEach(alert -> byId.put(alert.id(), alert));
        var states = new ArrayList<DeviceState>();
        for (var answer : answers) states.add(state(answer, byId));
        return states;
      });
    });
  }

  private static DeviceState state(Response answer, Map<String, Alert> byId) {
    var last = answer.get(0) == null ? DeviceState.NONE : answer.get(0).toLong();
    var rules = new HashMap<String, RuleState>();
    if (answer.get(1) != null) {
      new JsonObject(answer.get(1).toString()).forEach(e -> rules.put(e.getKey(), RuleState.fromJson((JsonObject) e.getValue())));
    }
    var open = new HashMap<String, Alert>();
    for (int j = 2; j < answer.size(); j++) {
      var alert = answer.get(j) == null ? null : byId.get(answer.get(j).toString());
      if (alert != null && alert.status() != AlertStatus.CLEARED) open.put(alert.ruleId(), alert);
    }
    return new DeviceState(last, rules, open);
  }

  /**
   * Every commit in ONE round trip: one call of the commit script per {@link #DEVICES_PER_CALL} devices (all the alert
   * keys share the {@code {alerts}} hash tag, so one call may touch every device's keys on a Redis Cluster too), the
   * calls pipelined; one answer per commit, in order.
   */
  public Future<List<Committed>> commitAll(List<Commit> commits) {
    var calls = new ArrayList<RedisScript.Call>();
    for (int from = 0; from < commits.size(); from += DEVICES_PER_CALL) {
      calls.add(call(commits.subList(from, Math.min(commits.size(), from + DEVICES_PER_CALL))));
    }
    return commit.batch(calls).map(answers -> {
      var committed = new ArrayList<Committed>(commits.size());
      for (var answer : answers) {
        for (var device : answer) committed.add(committed(device));
      }
      return committed;
    });
  }

  private static Committed committed(Response answer) {
    var code = answer.get(0).toInteger();
    if (code == 0) return new Committed(Outcome.ALREADY_EVALUATED, List.of());
    if (code < 0) return new Committed(Outcome.CONFLICT, List.of());
    var alerts = new ArrayList<JsonObject>(answer.size() - 1);
    for (int i = 1; i < answer.size(); i++) alerts.add(new JsonObject(answer.get(i).toString()));
    return new Committed(Outcome.COMMITTED, alerts);
  }

  /** One call of {@link AlertScripts#COMMIT} for these devices' commits. */
  private static RedisScript.Call call(List<Commit> commits) {
    var keys = new ArrayList<String>(2 + 4 * commits.size());
    var args = new ArrayList<String>(2 + 8 * commits.size());
    keys.add(DEADLINES);
    keys.add(TRANSITIONS);
    args.add(STREAM_LENGTH);
    args.add(Integer.toString(commits.size()));
    for (var one : commits) {
      keys.add(PREFIX + "fcnt:" + one.devEui());
      keys.add(PREFIX + "state:" + one.devEui());
      keys.add(tenantKey(one.tenant()));
      var state = new JsonObject();
      one.rules().forEach((ruleId, rule) -> { if (!rule.isEmpty()) state.put(ruleId, rule.toJson()); });
      args.add(Long.toString(one.expectedLastFCnt()));
      args.add(Long.toString(one.fCnt()));
      args.add(state.encode());
      args.add(Integer.toString(one.checks().size()));
      args.add(Integer.toString(one.ops().size()));
      args.add(Integer.toString(one.deadlines().size()));
      one.checks().forEach((ruleId, expected) -> {
        keys.add(currentKey(one.devEui(), ruleId));
        args.add(expected);
      });
      for (var op : one.ops()) {
        keys.add(alertKey(op.alertId()));
        keys.add(currentKey(one.devEui(), op.ruleId()));
        args.addAll(List.of(op.kind().wire(), op.alertId(), op.json().encode(), op.at().toString(),
            Long.toString(op.at().toEpochMilli())));
      }
      for (var deadline : one.deadlines()) {
        args.addAll(List.of(deadline.add() ? "add" : "rem", deadline.member(), Long.toString(deadline.score())));
      }
    }
    return new RedisScript.Call(keys, args);
  }

  public Future<Optional<Alert>> get(String id) {
    return redis.send(Request.cmd(Command.GET).arg(alertKey(id)))
        .map(response -> Optional.ofNullable(response).map(r -> Alert.fromJson(new JsonObject(r.toString()))));
  }

  /** Every alert of a tenant, most recently started first. */
  public Future<List<Alert>> listByTenant(String tenant, Instant from, Instant to) {
    var range = Request.cmd(Command.ZRANGE).arg(tenantKey(tenant))
        .arg(to == null ? "+inf" : Long.toString(to.toEpochMilli()))
        .arg(from == null ? "-inf" : Long.toString(from.toEpochMilli())).arg("BYSCORE").arg("REV");
    return redis.send(range).compose(ids -> {
      var list = new ArrayList<String>();
      if (ids != null) ids.forEach(id -> list.add(id.toString()));
      return alerts(list);
    });
  }

  /** A subtree's open alerts, most recently started first; {@code complete} false when some were left out. */
  public record OpenAlerts(List<Alert> alerts, boolean complete) {}

  /**
   * The open alerts (active or acknowledged) of the tenant's devices below {@code nodeId}, at most {@code limit}, read
   * among the tenant's {@code scanned} most recently started alerts (cleared ones are kept, so older ones are left
   * out: {@code complete} false when the tenant has more).
   */
  public Future<OpenAlerts> open(String tenant, String nodeId, int limit, int scanned) {
    var range = Request.cmd(Command.ZRANGE).arg(tenantKey(tenant)).arg("+inf").arg("-inf").arg("BYSCORE").arg("REV")
        .arg("LIMIT").arg(0).arg(scanned + 1);
    return redis.send(range).compose(ids -> {
      var list = new ArrayList<String>();
      if (ids != null) ids.forEach(id -> list.add(id.toString()));
      var truncated = list.size() > scanned;
      return alerts(truncated ? list.subList(0, scanned) : list).map(alerts -> {
        var open = alerts.stream().filter(a -> a.status() != AlertStatus.CLEARED && a.pathIds().contains(nodeId)).toList();
        return new OpenAlerts(open.size() > limit ? open.subList(0, limit) : open, !truncated && open.size() <= limit);
      });
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

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  public Future<Void> close() {
    return redis.close();
  }
}
