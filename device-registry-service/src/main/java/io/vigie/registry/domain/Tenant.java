package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;

/** A tenant: its id is also the id of its root node. */
public record Tenant(String id, String name, String createdAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("createdAt", createdAt);
  }
}
