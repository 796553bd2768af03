package io.vigie.alert.notify.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One attempt to notify a channel, as {@code GET /api/v1/notification-channels/{id}/deliveries} lists it.
 *
 * @param outcome {@code delivered}, {@code retrying} (another attempt follows) or {@code failed} (given up)
 * @param status the HTTP status answered, or null (email, no answer)
 * @param error why it failed, or null
 */
public record Delivery(Instant at, String transition, String alertId, String devEui, int attempt, String outcome,
                       Integer status, String error, long durationMs) {

  public JsonObject toJson() {
    var json = new JsonObject().put("at", at.toString()).put("transition", transition).put("alertId", alertId);
    if (devEui != null) json.put("devEui", devEui);
    json.put("attempt", attempt).put("outcome", outcome);
    if (status != null) json.put("status", status);
    if (error != null) json.put("error", error);
    return json.put("durationMs", durationMs);
  }
}
