package io.vigie.alert.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One alert: a rule breached by one device, from the moment it started until it clears.
 *
 * @param path the device's node path (tenant root first), what access checks work on
 * @param clearedAt null while the alert is not cleared
 */
public record Alert(String id, String tenant, String devEui, String ruleId, String severity, AlertStatus status,
                    Instant startedAt, double lastValue, Instant clearedAt, List<PathElement> path) {

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(devEui, "devEui");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    path = path == null ? List.of() : List.copyOf(path);
  }

  public List<String> pathIds() {
    return path.stream().map(PathElement::id).toList();
  }

  public Alert withLastValue(double value) {
    return new Alert(id, tenant, devEui, ruleId, severity, status, startedAt, value, clearedAt, path);
  }

  public Alert cleared(double value, Instant at) {
    return new Alert(id, tenant, devEui, ruleId, severity, AlertStatus.CLEARED, startedAt, value, at, path);
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("tenant", tenant).put("devEui", devEui).put("ruleId", ruleId)
        .put("severity", severity).put("status", status.wire()).put("startedAt", startedAt.toString())
        .put("lastValue", lastValue)
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()));
    if (clearedAt != null) json.put("clearedAt", clearedAt.toString());
    return json;
  }

  public static Alert fromJson(JsonObject json) {
    var clearedAt = json.getString("clearedAt");
    return new Alert(json.getString("id"), json.getString("tenant"), json.getString("devEui"),
        json.getString("ruleId"), json.getString("severity"), AlertStatus.fromWire(json.getString("status")),
        Instant.parse(json.getString("startedAt")), json.getDouble("lastValue"),
        clearedAt == null ? null : Instant.parse(clearedAt),
        json.getJsonArray("path", new JsonArray()).stream().map(o -> PathElement.fromJson((JsonObject) o)).toList());
  }
}
