package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodePath;
import java.util.List;

/** Tenants and their trees. */
public interface NodeStore {

  /** Creates a tenant and its root node (same id, kind {@code tenant}): {@link Outcome#OK} or {@link Outcome#DUPLICATE}. */
  Future<Outcome> createTenant(String id, String name);

  /** Creates a node under an existing parent of the same tenant: OK, DUPLICATE or NO_PARENT. */
  Future<Outcome> create(Node node);

  /** The node and its ancestors from the root; null when the node does not exist. */
  Future<NodePath> path(String id);

  /** The direct children of a node, sorted by name then id (empty when none or unknown). */
  Future<List<Node>> children(String id);
}
