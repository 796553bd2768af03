package io.vigie.alert.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An alert rule as API.md describes it, attached to a node (inherited by its subtree) or to a device type.
 * {@link #fromJson} validates; {@link #breached} and {@link #holds} are its thresholds without and with hysteresis.
 *
 * @param duration how long the condition must last (measurement time) before an alert opens; for {@code no-data}
 *                 the silence that raises it; {@link Duration#ZERO} when none
 */
public record Rule(String id, String tenant, String nodeId, String deviceType, String name, RuleKind kind,
                   String measurement, Double threshold, Double min, Double max, Double perHour, Duration duration,
                   Double clearBelow, Double clearAbove, String severity, List<Escalation> escalate, boolean enabled) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    duration = duration == null ? Duration.ZERO : duration;
    escalate = escalate == null ? List.of() : List.copyOf(escalate);
  }

  /** The name the rule is known by for overrides: its name, else its id. */
  public String key() {
    return name != null ? name : id;
  }

  /** Whether this value starts the condition. */
  public boolean breached(double v) {
    return switch (kind) {
      case ABOVE -> v > threshold;
      case BELOW, BATTERY_LOW -> v < threshold;
      case OUTSIDE -> v < min || v > max;
      case RATE -> perHour > 0 ? v > perHour : v < perHour;
      case NO_DATA, SECURITY -> false;
    };
  }

  /** Whether an open alert stays open at this value: not yet past the clear threshold (hysteresis). */
  public boolean holds(double v) {
    return switch (kind) {
      case ABOVE -> v > or(clearBelow, threshold);
      case BELOW, BATTERY_LOW -> v < or(clearAbove, threshold);
      case OUTSIDE -> v > or(clearBelow, max) || v < or(clearAbove, min);
      case RATE -> perHour > 0 ? v > or(clearBelow, perHour) : v < or(clearAbove, perHour);
      case NO_DATA, SECURITY -> false;
    };
  }

  /** The severity after the condition has lasted {@code elapsed}: the last escalation step reached, else its own. */
  public String severityAfter(Duration elapsed) {
    var severity = this.severity;
    for (var step : escalate) {
      if (elapsed.compareTo(step.after()) >= 0 && Severity.rank(step.severity()) > Severity.rank(severity)) {
        severity = step.severity();
      }
    }
    return severity;
  }

  /** How long after the condition began the next escalation step is due, or null when none is left. */
  public Duration nextEscalation(Duration elapsed) {
    return escalate.stream().map(Escalation::after).filter(after -> after.compareTo(elapsed) > 0).findFirst().orElse(null);
  }

  private static double or(Double value, double fallback) {
    return value != null ? value : fallback;
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("kind", kind.wire()).put("severity", severity).put("enabled", enabled);
    Object[] optional = {"nodeId", nodeId, "deviceType", deviceType, "name", name, "measurement", measurement,
        "threshold", threshold, "min", min, "max", max, "perHour", perHour, "for", duration.isZero() ? null : duration.toString(),
        "clearBelow", clearBelow, "clearAbove", clearAbove};
    for (int i = 0; i < optional.length; i += 2) if (optional[i + 1] != null) json.put((String) optional[i], optional[i + 1]);
    if (!escalate.isEmpty()) json.put("escalate", new JsonArray(escalate.stream().map(Escalation::toJson).toList()));
    return json;
  }

  /** The stored form: the API's JSON with the tenant. */
  public JsonObject toStored() {
    return toJson().put("tenant", tenant);
  }

  public static Rule fromStored(JsonObject json) {
    return RuleParser.parse(json.getString("id"), json.getString("tenant"), json);
  }

  /** One step of escalation: past {@code after} since the condition began, the alert is {@code severity}. */
  public record Escalation(Duration after, String severity) {
    public JsonObject toJson() {
      return new JsonObject().put("after", after.toString()).put("severity", severity);
    }
  }
}
