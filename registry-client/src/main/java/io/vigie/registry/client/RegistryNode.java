package io.vigie.registry.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.PathElement;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of the hierarchy as the registry gives it ({@code registry.node.get}).
 *
 * @param path from the tenant root down to the node itself
 */
public record RegistryNode(String id, String tenant, String kind, String name, JsonObject attributes,
                           List<PathElement> path) {

  public RegistryNode {
    attributes = attributes == null ? new JsonObject() : attributes;
    path = List.copyOf(path);
  }

  /** The ids of the path, root first, ending with the node itself: what access checks work on. */
  public List<String> pathIds() {
    var ids = new ArrayList<String>();
    path.forEach(element -> ids.add(element.id()));
    if (!ids.contains(id)) ids.add(id); // a node is part of its own subtree
    return List.copyOf(ids);
  }

  static RegistryNode fromJson(JsonObject json) {
    var path = new ArrayList<PathElement>();
    for (var element : json.getJsonArray("path", new JsonArray())) {
      if (element instanceof JsonObject object) path.add(PathElement.fromJson(object));
    }
    return new RegistryNode(json.getString("id"), json.getString("tenant"), json.getString("kind"),
        json.getString("name"), json.getJsonObject("attributes"), path);
  }
}
