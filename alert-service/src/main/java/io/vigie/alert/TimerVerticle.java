package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.alert.domain.Deadline;
import io.vigie.alert.domain.Rule;
import io.vigie.alert.domain.RuleKind;
import io.vigie.alert.domain.Rules;
import io.vigie.alert.store.AlertTransitions;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.common.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens with no message arriving: a device silent past a no-data rule's duration, an alert due for its next
 * escalation step. Every {@code tickMs} (and on {@link #tick()}, which tests drive with their own {@link Clock}), the due
 * timers are claimed in Redis for {@link #LEASE_MS} (no other instance takes them meanwhile) and fired by a script
 * that checks they are still due: a timer fires once across instances, and one claimed by an instance that died comes
 * back when its lease ends.
 */
final class TimerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TimerVerticle.class);
  static final long LEASE_MS = 30_000;
  private static final int BATCH = 200;

  private final Wiring w;
  private final AlertTransitions transitions;
  private final Clock clock;
  private final long tickMs;
  private Future<Integer> running;

  TimerVerticle(Wiring wiring, long tickMs) {
    this.w = wiring;
    this.transitions = wiring.transitions();
    this.clock = wiring.clock();
    this.tickMs = tickMs;
  }

  @Override
  public Future<?> start() {
    if (tickMs > 0) vertx.setPeriodic(tickMs, id -> tick());
    return Future.succeededFuture();
  }

  /** {@link #tick()} on this verticle's event loop, from any thread (tests). */
  Future<Integer> tickFromAnywhere() {
    var done = io.vertx.core.Promise.<Integer>promise();
    context.runOnContext(v -> tick().onComplete(done));
    return done.future();
  }

  /** Fires the timers due now; how many transitions that made. One tick at a time: a tick asked meanwhile joins it. */
  Future<Integer> tick() {
    if (running != null && !running.isComplete()) return running;
    var now = clock.millis();
    running = transitions.claim(now, now + LEASE_MS, BATCH).compose(claimed -> {
      var fired = new ArrayList<Future<Boolean>>();
      for (var timer : claimed) fired.add(fire(timer, now + LEASE_MS).otherwise(failure -> {
        LOG.warn("timer {} not fired, retried when its lease ends: {}", timer.member(), failure.getMessage());
        return false;
      }));
      return Future.all(fired).map(all -> (int) fired.stream().filter(f -> f.result()).count());
    }).onFailure(e -> LOG.warn("alert timers not read: {}", e.getMessage()));
    return running;
  }

  private Future<Boolean> fire(AlertTransitions.Claimed timer, long lease) {
    Deadline deadline;
    try {
      deadline = Deadline.parse(timer.member());
    } catch (IllegalArgumentException e) {
      return transitions.drop(timer.member()).map(false);
    }
    var fired = deadline.kind().equals(Deadline.NO_DATA) ? silent(deadline, timer, lease) : escalate(deadline, timer, lease);
    return fired.map(event -> {
      if (event != null) w.events().publish(event);
      return event != null;
    });
  }

  /** A device silent past a no-data rule's duration: its alert opens, dated when the silence reached the duration. */
  private Future<JsonObject> silent(Deadline deadline, AlertTransitions.Claimed timer, long lease) {
    return w.registry().device(deadline.devEui()).compose(device -> w.rules().all(deadline.tenant()).compose(all -> {
      var rule = Rules.active(all, device.pathIds(), device.type()).stream()
          .filter(r -> r.id().equals(deadline.ruleId()) && r.kind() == RuleKind.NO_DATA).findFirst().orElse(null);
      if (rule == null || !deadline.tenant().equals(device.tenant())) return transitions.drop(timer.member()).map((JsonObject) null);
      var at = Instant.ofEpochMilli(timer.due());
      var since = at.minus(rule.duration());
      var alert = Alert.open(w.ids().get(), rule, deadline.devEui(), device.path(), since, at, null, rule.severity());
      var next = rule.nextEscalation(rule.duration());
      var escalation = next == null ? null
          : new RedisAlertStore.Timer(true, Deadline.escalate(rule.tenant(), alert.id()), since.plus(next).toEpochMilli());
      return transitions.open(alert, timer.member(), lease, escalation);
    }), failure -> failure instanceof ApiException api && api.status() == 404
        ? transitions.drop(timer.member()).map((JsonObject) null) : Future.failedFuture(failure));
  }

  /** An active alert due for its next escalation step: the severity of the step reached; the following one scheduled. */
  private Future<JsonObject> escalate(Deadline deadline, AlertTransitions.Claimed timer, long lease) {
    return w.store().get(deadline.alertId()).compose(found -> {
      var alert = found.orElse(null);
      if (alert == null || alert.status() != AlertStatus.ACTIVE) return transitions.drop(timer.member()).map((JsonObject) null);
      return w.rules().all(alert.tenant()).compose(all -> {
        Rule rule = all.stream().filter(r -> r.id().equals(alert.ruleId())).findFirst().orElse(null);
        if (rule == null) return transitions.drop(timer.member()).map((JsonObject) null);
        var elapsed = Duration.between(alert.since(), Instant.ofEpochMilli(Math.max(timer.due(), clock.millis())));
        var next = rule.nextEscalation(elapsed);
        var severity = rule.severityAfter(elapsed);
        if (Objects.equals(severity, alert.severity()) && next == null) {
          return transitions.drop(timer.member()).map((JsonObject) null);
        }
        return transitions.escalate(timer.member(), lease, alert.id(), severity, clock.instant(),
            next == null ? null : alert.since().plus(next).toEpochMilli());
      });
    });
  }
}
