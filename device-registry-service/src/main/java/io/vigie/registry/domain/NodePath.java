package io.vigie.registry.domain;

import io.vertx.core.json.JsonArray;
import io.vigie.common.message.PathElement;
import java.util.List;

/** A node with its ancestors: {@link #nodes()} goes from the tenant root down to the node itself. */
public record NodePath(List<Node> nodes) {

  public NodePath {
    if (nodes.isEmpty()) throw new IllegalArgumentException("a path has at least the node itself");
    nodes = List.copyOf(nodes);
  }

  public Node node() {
    return nodes.get(nodes.size() - 1);
  }

  public String tenant() {
    return node().tenant();
  }

  public List<String> ids() {
    return nodes.stream().map(Node::id).toList();
  }

  public List<PathElement> elements() {
    return nodes.stream().map(Node::pathElement).toList();
  }

  /** The bus form of {@link io.vigie.common.Addresses#REGISTRY_NODE_GET}: the node plus its path of elements. */
  public io.vertx.core.json.JsonObject toBusJson() {
    var json = node().toJson(ids());
    json.put("path", new JsonArray(elements().stream().map(PathElement::toJson).toList()));
    return json;
  }
}
