package io.vigie.alert.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and validates a rule's JSON ({@code PUT /api/v1/alert-rules/{id}}): every refusal says what is wrong. */
public final class RuleParser {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private RuleParser() {}

  /** @throws IllegalArgumentException with the reason, for a 400 */
  public static Rule parse(String id, String tenant, JsonObject json) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a rule id is 1-64 letters, digits, '.', '_', ':' or '-', got '" + id + "'");
    }
    var nodeId = text(json, "nodeId");
    var deviceType = text(json, "deviceType");
    if ((nodeId == null) == (deviceType == null)) {
      throw new IllegalArgumentException("a rule is attached to exactly one of nodeId or deviceType");
    }
    var kind = RuleKind.fromWire(text(json, "kind"));
    var measurement = text(json, "measurement");
    if (kind == RuleKind.BATTERY_LOW && measurement == null) measurement = "battery";
    if (kind != RuleKind.NO_DATA && measurement == null) throw new IllegalArgumentException(kind.wire() + " needs a measurement");
    var threshold = number(json, "threshold");
    var min = number(json, "min");
    var max = number(json, "max");
    var perHour = number(json, "perHour");
    var clearBelow = number(json, "clearBelow");
    var clearAbove = number(json, "clearAbove");
    switch (kind) {
      case ABOVE -> {
        need(threshold, "above needs a threshold");
        if (clearBelow != null && clearBelow > threshold) throw new IllegalArgumentException("clearBelow must not be above the threshold");
        if (clearAbove != null) throw new IllegalArgumentException("above clears below a value: use clearBelow");
      }
      case BELOW, BATTERY_LOW -> {
        need(threshold, kind.wire() + " needs a threshold");
        if (clearAbove != null && clearAbove < threshold) throw new IllegalArgumentException("clearAbove must not be below the threshold");
        if (clearBelow != null) throw new IllegalArgumentException(kind.wire() + " clears above a value: use clearAbove");
      }
      case OUTSIDE -> {
        need(min, "outside needs min and max");
        need(max, "outside needs min and max");
        if (min >= max) throw new IllegalArgumentException("outside needs min below max");
        if (clearBelow != null && clearBelow > max) throw new IllegalArgumentException("clearBelow must not be above max");
        if (clearAbove != null && clearAbove < min) throw new IllegalArgumentException("clearAbove must not be below min");
      }
      case RATE -> {
        need(perHour, "rate needs perHour (change per hour; negative for a fall)");
        if (perHour == 0) throw new IllegalArgumentException("perHour must not be 0");
        if (perHour > 0 ? clearAbove != null || clearBelow != null && clearBelow > perHour
            : clearBelow != null || clearAbove != null && clearAbove < perHour) {
          throw new IllegalArgumentException("a rate clears towards 0: clearBelow (rise) or clearAbove (fall), within perHour");
        }
      }
      case NO_DATA -> {
        if (clearAbove != null || clearBelow != null) throw new IllegalArgumentException("no-data has no clear threshold");
      }
      default -> throw new IllegalStateException();
    }
    var duration = duration(json.getValue("for"), "for");
    if (kind == RuleKind.NO_DATA && duration.isZero()) throw new IllegalArgumentException("no-data needs a duration: \"for\"");
    var severity = Severity.check(text(json, "severity"), "severity");
    var enabled = json.getValue("enabled", true);
    if (!(enabled instanceof Boolean)) throw new IllegalArgumentException("enabled must be true or false");
    return new Rule(id, tenant, nodeId, deviceType, text(json, "name"), kind, measurement, threshold, min, max, perHour,
        duration, clearBelow, clearAbove, severity, escalate(json.getValue("escalate")), (Boolean) enabled);
  }

  private static List<Rule.Escalation> escalate(Object value) {
    if (value == null) return List.of();
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException("escalate must be a list of {after, severity}");
    var steps = new ArrayList<Rule.Escalation>();
    for (var item : array) {
      if (!(item instanceof JsonObject step)) throw new IllegalArgumentException("escalate must be a list of {after, severity}");
      var after = duration(step.getValue("after"), "escalate.after");
      if (after.isZero()) throw new IllegalArgumentException("escalate.after is required and positive");
      if (!steps.isEmpty() && after.compareTo(steps.get(steps.size() - 1).after()) <= 0) {
        throw new IllegalArgumentException("escalate steps must come in increasing 'after' order");
      }
      steps.add(new Rule.Escalation(after, Severity.check(step.getString("severity"), "escalate.severity")));
    }
    return steps;
  }

  private static Duration duration(Object value, String field) {
    if (value == null) return Duration.ZERO;
    try {
      var duration = Duration.parse(value.toString());
      if (duration.isNegative()) throw new IllegalArgumentException(field + " must not be negative");
      return duration;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 duration such as PT15M, got '" + value + "'");
    }
  }

  private static String text(JsonObject json, String field) {
    var value = json.getValue(field);
    if (value == null) return null;
    if (!(value instanceof String s) || s.isBlank()) throw new IllegalArgumentException(field + " must be a non-empty string");
    return s;
  }

  private static Double number(JsonObject json, String field) {
    var value = json.getValue(field);
    if (value == null) return null;
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return n.doubleValue();
  }

  private static void need(Double value, String message) {
    if (value == null) throw new IllegalArgumentException(message);
  }
}
