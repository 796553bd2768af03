package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/** One level of the hierarchy above a device: tenant, site, building, floor, room or asset. */
public record PathElement(String id, String kind, String name) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kind", kind).put("name", name);
  }

  public static PathElement fromJson(JsonObject json) {
    return new PathElement(json.getString("id"), json.getString("kind"), json.getString("name"));
  }
}
