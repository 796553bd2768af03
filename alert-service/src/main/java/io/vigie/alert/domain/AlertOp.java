package io.vigie.alert.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What an evaluation does to a device+rule's alert, applied by the store's commit script: {@code OPEN} writes a new
 * alert (only if the device+rule has none open); the others merge {@code json} (a patch) into the open alert.
 * {@code ESCALATE} is a transition only while the alert is active and of another severity; {@code UPDATE} only
 * refreshes the last value.
 */
public record AlertOp(Kind kind, String ruleId, String alertId, JsonObject json, Instant at) {
  public enum Kind {
    OPEN, UPDATE, ESCALATE, CLEAR;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static AlertOp open(Alert alert) {
    return new AlertOp(Kind.OPEN, alert.ruleId(), alert.id(), alert.toJson(), alert.startedAt());
  }

  public static AlertOp update(Alert open, Double value, Instant at) {
    return new AlertOp(Kind.UPDATE, open.ruleId(), open.id(), value(new JsonObject(), value), at);
  }

  public static AlertOp escalate(Alert open, String severity, Double value, Instant at) {
    return new AlertOp(Kind.ESCALATE, open.ruleId(), open.id(), value(new JsonObject().put("severity", severity), value), at);
  }

  /** Cleared by the system: the condition is over. */
  public static AlertOp clear(Alert open, Double value, Instant at) {
    var patch = new JsonObject().put("status", AlertStatus.CLEARED.wire()).put("clearedAt", at.toString())
        .put("clearedBy", "system");
    return new AlertOp(Kind.CLEAR, open.ruleId(), open.id(), value(patch, value), at);
  }

  private static JsonObject value(JsonObject patch, Double value) {
    return value == null ? patch : patch.put("lastValue", value);
  }
}
