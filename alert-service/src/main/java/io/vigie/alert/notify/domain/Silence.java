package io.vigie.alert.notify.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MessageIds;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Notifications kept quiet for a node's subtree or one device until a time (maintenance, defrost). Alerts still
 * change state; only their notifications are held back.
 *
 * @param pathIds from the tenant root down to the silenced node (a device: down to its node)
 */
public record Silence(String id, String tenant, String nodeId, String devEui, Instant until, String comment,
                      String createdBy, Instant createdAt, List<String> pathIds) {

  public static final int MAX_COMMENT = 1000;

  public Silence {
    pathIds = List.copyOf(pathIds);
  }

  /** What {@code POST /api/v1/silences} asks: exactly one target, a future end. */
  public record Request(String nodeId, String devEui, Instant until, String comment) {

    public static Request parse(JsonObject body, Instant now) {
      if (body == null) throw new IllegalArgumentException("a silence needs a JSON body {\"nodeId\"|\"devEui\", \"until\"}");
      var nodeId = text(body, "nodeId");
      var devEui = text(body, "devEui");
      if ((nodeId == null) == (devEui == null)) {
        throw new IllegalArgumentException("a silence needs exactly one of nodeId and devEui");
      }
      var untilText = text(body, "until");
      if (untilText == null) throw new IllegalArgumentException("a silence needs until (RFC 3339, e.g. 2026-12-06T06:00:00Z)");
      Instant until;
      try {
        until = Instant.parse(untilText);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("until must be an RFC 3339 UTC time such as 2026-12-06T06:00:00Z, got '" + untilText + "'");
      }
      if (!until.isAfter(now)) throw new IllegalArgumentException("until " + untilText + " is not in the future");
      var comment = text(body, "comment");
      if (comment != null && comment.length() > MAX_COMMENT) {
        throw new IllegalArgumentException("comment is longer than " + MAX_COMMENT + " characters");
      }
      return new Request(nodeId, devEui == null ? null : MessageIds.normalizeDevEui(devEui), until, comment);
    }
  }

  /** True when it holds back the notifications of an alert of this device and node path at {@code now}. */
  public boolean covers(String alertDevEui, List<String> alertPath, Instant now) {
    if (!until.isAfter(now)) return false;
    return devEui != null ? devEui.equals(alertDevEui) : alertPath.contains(nodeId);
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("id", id);
    if (nodeId != null) json.put("nodeId", nodeId);
    if (devEui != null) json.put("devEui", devEui);
    json.put("until", until.toString());
    if (comment != null) json.put("comment", comment);
    return json.put("createdBy", createdBy).put("createdAt", createdAt.toString()).put("path", new JsonArray(pathIds));
  }

  /** What is stored: the public JSON and the tenant. */
  public JsonObject toStored() {
    return toJson().put("tenant", tenant);
  }

  public static Silence fromStored(JsonObject json) {
    return new Silence(json.getString("id"), json.getString("tenant"), json.getString("nodeId"), json.getString("devEui"),
        Instant.parse(json.getString("until")), json.getString("comment"), json.getString("createdBy"),
        Instant.parse(json.getString("createdAt")),
        json.getJsonArray("path", new JsonArray()).stream().map(String::valueOf).toList());
  }

  private static String text(JsonObject body, String key) {
    var value = body.getValue(key);
    if (value == null) return null;
    if (!(value instanceof String s)) throw new IllegalArgumentException(key + " must be a string");
    return s.isBlank() ? null : s.trim();
  }
}
