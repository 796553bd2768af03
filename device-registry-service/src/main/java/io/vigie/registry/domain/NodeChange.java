package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;

/** What a PATCH changes on a node; null fields stay as they are. Attributes are replaced whole. */
public record NodeChange(String name, String kind, JsonObject attributes) {

  public boolean isEmpty() {
    return name == null && kind == null && attributes == null;
  }
}
