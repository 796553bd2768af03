package io.vigie.alert.domain;

import io.vigie.common.message.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The alert life cycle of one device, rule by rule:
 * no alert → (breach) ACTIVE → (breach) same alert, lastValue refreshed → (back to normal) CLEARED.
 * A cleared alert is no longer current: the next breach raises a new one.
 */
public final class AlertStateMachine {
  private final RuleSet rules;
  private final Supplier<String> ids;

  public AlertStateMachine(RuleSet rules, Supplier<String> ids) {
    this.rules = rules;
    this.ids = ids;
  }

  /** Every rule's id: the current alerts to know of a device. */
  public List<String> ruleIds() {
    return rules.all().stream().map(AlertRule::id).toList();
  }

  /** The rules that have something to say about this measurement: their ids are what {@link #evaluate} needs. */
  public List<AlertRule> applicableRules(Measurement measurement) {
    return rules.rulesFor(measurement).stream().filter(r -> r.observe(measurement).isPresent()).toList();
  }

  /**
   * @param current the current (not cleared) alert of this device per rule id
   * @return the changes, in rule order; empty when nothing changes
   */
  public List<AlertChange> evaluate(Measurement measurement, Map<String, Alert> current) {
    var changes = new ArrayList<AlertChange>();
    for (var rule : applicableRules(measurement)) {
      var value = rule.observe(measurement).getAsDouble();
      next(rule, measurement, value, Optional.ofNullable(current.get(rule.id()))).ifPresent(changes::add);
    }
    return changes;
  }

  private Optional<AlertChange> next(AlertRule rule, Measurement m, double value, Optional<Alert> current) {
    var breached = rule.breached(value);
    if (current.isEmpty()) {
      if (!breached) return Optional.empty();
      var raised = new Alert(ids.get(), m.tenant(), m.devEui(), rule.id(), rule.severity(), AlertStatus.ACTIVE,
          m.receivedAt(), value, null, m.path());
      return Optional.of(new AlertChange(AlertChange.Kind.RAISED, raised));
    }
    var alert = current.get();
    if (breached) return Optional.of(new AlertChange(AlertChange.Kind.UPDATED, alert.withLastValue(value)));
    return Optional.of(new AlertChange(AlertChange.Kind.CLEARED, alert.cleared(value, m.receivedAt())));
  }
}
