package io.vigie.registry.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.PathElement;
import java.util.Comparator;
import java.util.List;

/**
 * One node of a tenant's tree. The root has {@code id == tenant}, kind {@code tenant} and no parent.
 *
 * @param parentId null for the root
 */
public record Node(String id, String tenant, String parentId, String kind, String name, JsonObject attributes) {
  /** How children are listed: by name (case-insensitive), then id. */
  public static final Comparator<Node> BY_NAME = Comparator.comparing(Node::name,
      Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)).thenComparing(Node::id);

  public boolean isRoot() {
    return parentId == null;
  }

  public PathElement pathElement() {
    return new PathElement(id, kind, name);
  }

  /** The REST form: {@code {"id","tenant","parentId","kind","name","attributes","path":[ids from root]}}. */
  public JsonObject toJson(List<String> pathIds) {
    return new JsonObject().put("id", id).put("tenant", tenant).put("parentId", parentId).put("kind", kind)
        .put("name", name).put("attributes", attributes == null ? new JsonObject() : attributes.copy())
        .put("path", new JsonArray(List.copyOf(pathIds)));
  }
}
