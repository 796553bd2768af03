package io.vigie.alert.notify.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One alert transition as the alert core writes it to the stream {@code vigie:{alerts}:transitions} (field
 * {@code alert}): the alert JSON plus {@code nodeId}, {@code tenantId}, {@code ruleName}, {@code measurement},
 * {@code transition} ({@code opened|escalated|acknowledged|cleared}), {@code at} and {@code by}.
 *
 * @param body the JSON exactly as written: what a webhook receives and signs
 * @param pathIds node ids from the root down to the device's node ({@code path} entries may be ids or {@code {"id"}})
 */
public record Transition(String body, JsonObject alert, String tenant, String devEui, List<String> pathIds,
                         Severity severity, String kind) {

  /** The field of a stream entry holding the alert JSON. */
  public static final String FIELD = "alert";

  public static Transition parse(String body) {
    var alert = new JsonObject(body);
    var tenant = alert.getString("tenantId", alert.getString("tenant"));
    var kind = alert.getString("transition");
    if (tenant == null || alert.getString("id") == null || kind == null) {
      throw new IllegalArgumentException("a transition needs id, tenantId and transition");
    }
    var path = new ArrayList<String>();
    for (var element : alert.getJsonArray("path", new JsonArray())) {
      if (element instanceof String id) path.add(id);
      else if (element instanceof JsonObject object && object.getString("id") != null) path.add(object.getString("id"));
    }
    var nodeId = alert.getString("nodeId");
    if (nodeId != null && !path.contains(nodeId)) path.add(nodeId);
    return new Transition(body, alert, tenant, alert.getString("devEui"), List.copyOf(path),
        Severity.fromWire(alert.getString("severity", "warning")), kind);
  }

  public String alertId() {
    return alert.getString("id");
  }
}
