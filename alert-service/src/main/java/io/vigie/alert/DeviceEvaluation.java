package io.vigie.alert;

import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertOp;
import io.vigie.alert.domain.Deadline;
import io.vigie.alert.domain.Evaluator;
import io.vigie.alert.domain.Rule;
import io.vigie.alert.domain.RuleKind;
import io.vigie.alert.domain.RuleState;
import io.vigie.alert.store.RedisAlertStore.Commit;
import io.vigie.alert.store.RedisAlertStore.DeviceState;
import io.vigie.alert.store.RedisAlertStore.Timer;
import io.vigie.common.message.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A device's measurements of one batch, in order, against its rules: the {@link Commit} to save (null when every
 * counter was already evaluated). Also sets the timers: each no-data rule's deadline (last measurement + its
 * duration) and each opened or escalated alert's next escalation.
 */
final class DeviceEvaluation {
  private DeviceEvaluation() {}

  record Result(Commit commit, int evaluated, int duplicates) {}

  static Result evaluate(String devEui, List<Measurement> measurements, DeviceState state, List<Rule> rules,
                         Supplier<String> ids) {
    var open = new HashMap<>(state.open());
    var ruleStates = new HashMap<>(state.rules());
    var checks = new LinkedHashMap<String, String>();
    var ops = new ArrayList<AlertOp>();
    var deadlines = new ArrayList<Timer>();
    long last = state.lastEvaluatedFCnt();
    int evaluated = 0;
    int duplicates = 0;
    Measurement latest = null;
    for (var m : measurements) {
      if (m.fCnt() <= last) {
        duplicates++;
        continue;
      }
      for (var rule : rules) {
        var current = open.get(rule.id());
        var step = Evaluator.evaluate(rule, m, ruleStates.getOrDefault(rule.id(), RuleState.NONE), current, ids);
        ruleStates.put(rule.id(), step.state());
        if (step.op() == null) continue;
        checks.putIfAbsent(rule.id(), expected(state, rule.id()));
        ops.add(step.op());
        var after = Alert.fromJson(current == null ? step.op().json() : current.toJson().mergeIn(step.op().json()));
        if (step.op().kind() == AlertOp.Kind.CLEAR) {
          open.remove(rule.id());
          deadlines.add(new Timer(false, Deadline.escalate(m.tenant(), after.id()), 0));
        } else {
          open.put(rule.id(), after);
          if (step.op().kind() != AlertOp.Kind.UPDATE) deadlines.add(escalation(rule, after, m.receivedAt()));
        }
      }
      last = m.fCnt();
      latest = m;
      evaluated++;
    }
    if (latest == null) return new Result(null, 0, duplicates);
    for (var rule : rules) {
      if (rule.kind() != RuleKind.NO_DATA) continue;
      checks.putIfAbsent(rule.id(), expected(state, rule.id()));
      deadlines.add(new Timer(true, Deadline.noData(latest.tenant(), devEui, rule.id()),
          latest.receivedAt().plus(rule.duration()).toEpochMilli()));
    }
    ruleStates.keySet().retainAll(rules.stream().map(Rule::id).toList());
    var commit = new Commit(devEui, latest.tenant(), state.lastEvaluatedFCnt(), last, ruleStates, checks, ops, deadlines);
    return new Result(commit, evaluated, duplicates);
  }

  /** The alert's next escalation timer (at the condition's start + the step), or its removal when none is left. */
  static Timer escalation(Rule rule, Alert alert, Instant at) {
    var member = Deadline.escalate(alert.tenant(), alert.id());
    var next = rule.nextEscalation(Duration.between(alert.since(), at));
    return next == null ? new Timer(false, member, 0)
        : new Timer(true, member, alert.since().plus(next).toEpochMilli());
  }

  private static String expected(DeviceState state, String ruleId) {
    var alert = state.open().get(ruleId);
    return alert == null ? "" : alert.id();
  }

  /** The device's state after a commit: its open alerts as the script left them ({@code alerts}, one per op). */
  static DeviceState after(Commit commit, Map<String, Alert> before, List<io.vertx.core.json.JsonObject> alerts) {
    var open = new HashMap<>(before);
    for (var json : alerts) {
      var alert = Alert.fromJson(json);
      if (alert.status() == io.vigie.alert.domain.AlertStatus.CLEARED) open.remove(alert.ruleId());
      else open.put(alert.ruleId(), alert);
    }
    return new DeviceState(commit.fCnt(), Map.copyOf(commit.rules()), Map.copyOf(open));
  }
}
