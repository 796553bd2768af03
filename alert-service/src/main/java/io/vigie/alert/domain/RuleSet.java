package io.vigie.alert.domain;

import io.vigie.common.message.Measurement;
import java.util.List;

/** Which rules apply to a measurement. Today a fixed list; later the rules of the device's hierarchy. */
public interface RuleSet {

  List<AlertRule> rulesFor(Measurement measurement);

  /** Every rule that may apply to some measurement. */
  List<AlertRule> all();

  static RuleSet of(List<AlertRule> rules) {
    var copy = List.copyOf(rules);
    return new RuleSet() {
      @Override
      public List<AlertRule> rulesFor(Measurement measurement) {
        return copy;
      }

      @Override
      public List<AlertRule> all() {
        return copy;
      }
    };
  }
}
