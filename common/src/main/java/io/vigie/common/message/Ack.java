package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/**
 * The end-to-end acknowledgement that travels back up the request-reply chain.
 *
 * @param id the uplink id
 * @param duplicate true when the uplink had already been stored (re-delivery)
 */
public record Ack(String id, boolean duplicate) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("duplicate", duplicate);
  }

  public static Ack fromJson(JsonObject json) {
    return new Ack(json.getString("id"), json.getBoolean("duplicate", false));
  }
}
