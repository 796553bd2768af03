package io.vigie.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;

/** Kubernetes label selectors, as the API server applies them to pod labels. */
final class Selectors {
  private Selectors() {}

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) return false;
    var matchLabels = selector.getMatchLabels() == null ? Map.<String, String>of() : selector.getMatchLabels();
    for (var entry : matchLabels.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) return false;
    }
    if (selector.getMatchExpressions() == null) return true;
    for (var expression : selector.getMatchExpressions()) {
      var value = labels.get(expression.getKey());
      var ok = switch (expression.getOperator()) {
        case "In" -> value != null && expression.getValues().contains(value);
        case "NotIn" -> value == null || !expression.getValues().contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> throw new AssertionError("unknown selector operator " + expression.getOperator());
      };
      if (!ok) return false;
    }
    return true;
  }

  /** A Service's selector: plain labels, all of which the pod must carry. */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty()
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
