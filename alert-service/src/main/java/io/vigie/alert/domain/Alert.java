package io.vigie.alert.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One alert: a rule breached by one device, from the moment it opened until it clears. Its JSON is API.md's shape
 * plus {@code tenantId} (and {@code tenant}, the older name), {@code nodeId}, {@code ruleName}, {@code measurement},
 * {@code since} (when the condition began) and {@code pathIds}.
 *
 * @param path the device's node path (tenant root first), what access checks work on
 * @param lastValue null for alerts without a value (no data, security)
 */
public record Alert(String id, String tenant, String devEui, String nodeId, String ruleId, String ruleName,
                    RuleKind kind, String measurement, String severity, AlertStatus status, Instant since,
                    Instant startedAt, Double lastValue, String ackedBy, Instant ackedAt, String comment,
                    Instant clearedAt, String clearedBy, List<PathElement> path) {

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(devEui, "devEui");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    since = since == null ? startedAt : since;
    path = path == null ? List.of() : List.copyOf(path);
  }

  /** A new active alert of {@code rule}. */
  public static Alert open(String id, Rule rule, String devEui, List<PathElement> path, Instant since, Instant at,
                           Double value, String severity) {
    var nodeId = path.isEmpty() ? null : path.get(path.size() - 1).id();
    return new Alert(id, rule.tenant(), devEui, nodeId, rule.id(), rule.name(), rule.kind(), rule.measurement(),
        severity, AlertStatus.ACTIVE, since, at, value, null, null, null, null, null, path);
  }

  public List<String> pathIds() {
    return path.stream().map(PathElement::id).toList();
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("tenant", tenant).put("tenantId", tenant).put("devEui", devEui)
        .put("ruleId", ruleId).put("kind", kind.wire()).put("severity", severity).put("status", status.wire())
        .put("since", since.toString()).put("startedAt", startedAt.toString())
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()))
        .put("pathIds", new JsonArray(pathIds()));
    Object[] optional = {"nodeId", nodeId, "ruleName", ruleName, "measurement", measurement, "lastValue", lastValue,
        "ackedBy", ackedBy, "ackedAt", ackedAt, "comment", comment, "clearedAt", clearedAt, "clearedBy", clearedBy};
    for (int i = 0; i < optional.length; i += 2) {
      var value = optional[i + 1];
      if (value != null) json.put((String) optional[i], value instanceof Instant instant ? instant.toString() : value);
    }
    return json;
  }

  public static Alert fromJson(JsonObject json) {
    var last = json.getValue("lastValue");
    // a script's JSON encoder writes an empty list as {}
    var path = json.getValue("path") instanceof JsonArray array ? array : new JsonArray();
    return new Alert(json.getString("id"), json.getString("tenant"), json.getString("devEui"), json.getString("nodeId"),
        json.getString("ruleId"), json.getString("ruleName"), kind(json.getString("kind")), json.getString("measurement"),
        json.getString("severity"), AlertStatus.fromWire(json.getString("status")), instant(json, "since"),
        instant(json, "startedAt"), last instanceof Number n ? n.doubleValue() : null, json.getString("ackedBy"),
        instant(json, "ackedAt"), json.getString("comment"), instant(json, "clearedAt"), json.getString("clearedBy"),
        path.stream().map(o -> PathElement.fromJson((JsonObject) o)).toList());
  }

  private static RuleKind kind(String wire) {
    if (wire == null) return RuleKind.ABOVE; // alerts stored before kinds existed
    return wire.equals(RuleKind.SECURITY.wire()) ? RuleKind.SECURITY : RuleKind.fromWire(wire);
  }

  private static Instant instant(JsonObject json, String field) {
    var value = json.getString(field);
    return value == null ? null : Instant.parse(value);
  }
}
