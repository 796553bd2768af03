package io.vigie.alert.domain;

import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One rule against one measurement of a device: plain Java, no I/O. Times are the measurement's own
 * ({@code receivedAt}), so a late or re-delivered uplink gives the same result.
 * <ul>
 *   <li>no alert open: the condition starts ({@code since}); once it has lasted the rule's duration, an alert opens;</li>
 *   <li>an alert open: while the value has not passed the clear threshold it stays (escalating with the time since the
 *       condition began, while active); past it, it clears;</li>
 *   <li>{@code no-data}: any measurement clears its alert (timers open it).</li>
 * </ul>
 */
public final class Evaluator {
  private Evaluator() {}

  /** The rule's next state, and what happens to its alert (null: nothing). */
  public record Step(RuleState state, AlertOp op) {}

  /** @param open the device+rule's open alert, or null */
  public static Step evaluate(Rule rule, Measurement m, RuleState state, Alert open, Supplier<String> ids) {
    var at = m.receivedAt();
    if (rule.kind() == RuleKind.NO_DATA) return new Step(state, open == null ? null : AlertOp.clear(open, null, at));
    var measured = m.value(rule.measurement()).map(MeasurementValue::value).filter(Double::isFinite);
    if (measured.isEmpty()) return new Step(state, null);
    double value = measured.get();
    var next = state;
    if (rule.kind() == RuleKind.RATE) {
      next = state.withPrevious(value, at);
      if (state.previousAt() == null || !at.isAfter(state.previousAt())) return new Step(next, null);
      value = Math.round((value - state.previous()) * 3_600_000.0 / Duration.between(state.previousAt(), at).toMillis()
          * 1000) / 1000.0;
    }
    if (open != null) {
      if (!rule.holds(value)) return new Step(next.withSince(null), AlertOp.clear(open, value, at));
      var severity = rule.severityAfter(Duration.between(open.since(), at));
      if (open.status() == AlertStatus.ACTIVE && Severity.rank(severity) > Severity.rank(open.severity())) {
        return new Step(next, AlertOp.escalate(open, severity, value, at));
      }
      return new Step(next, AlertOp.update(open, value, at));
    }
    if (!rule.breached(value)) return new Step(next.withSince(null), null);
    var since = state.since() != null && !state.since().isAfter(at) ? state.since() : at;
    next = next.withSince(since);
    var lasted = Duration.between(since, at);
    if (lasted.compareTo(rule.duration()) < 0) return new Step(next, null);
    var alert = Alert.open(ids.get(), rule, m.devEui(), m.path(), since, at, value, rule.severityAfter(lasted));
    return new Step(next, AlertOp.open(alert));
  }
}
