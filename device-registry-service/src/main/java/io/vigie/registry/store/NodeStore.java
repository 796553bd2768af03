package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodeChange;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.domain.Tenant;
import io.vigie.registry.domain.TreeNode;
import io.vigie.registry.domain.User;
import java.util.List;

/**
 * Tenants and their trees. Writes take the path (ids from the root) on which the caller's access was decided
 * and answer {@link Outcome#CHANGED} when the tree moved meanwhile.
 */
public interface NodeStore {
  /** The deepest path the registry accepts (root included). */
  int MAX_DEPTH = 64;
  /** The largest subtree one atomic operation (move, cascade delete, tree) may touch. */
  int MAX_SUBTREE = 200_000;

  /** Creates a tenant and its root node (same id, kind {@code tenant}): OK, DUPLICATE or RECENTLY_DELETED. */
  default Future<Outcome> createTenant(String id, String name) {
    return createTenant(id, name, null);
  }

  /** The same, with the tenant's first admin (scoped to the root) when not null; or USER_TAKEN. */
  Future<Outcome> createTenant(String id, String name, User firstAdmin);

  /** Every tenant, sorted by id. */
  Future<List<Tenant>> tenants();

  /** Deletes a tenant and everything in it: OK or NO_TENANT. */
  Future<Affected> deleteTenant(String id);

  /** Creates a node under an existing parent of the same tenant: OK, DUPLICATE, RECENTLY_DELETED, NO_PARENT, CHANGED, TOO_DEEP. */
  Future<Outcome> create(Node node, List<String> expectedParentPath);

  /** The node and its ancestors from the root; null when the node does not exist. */
  Future<NodePath> path(String id);

  /** The direct children of a node, sorted by name then id (empty when none or unknown). */
  Future<List<Node>> children(String id);

  /** The node and all its descendants, breadth first, each with its DevEUIs; empty when the node is missing. */
  Future<List<TreeNode>> subtree(String id);

  /** Changes name, kind or attributes: OK, NO_NODE or CHANGED. */
  Future<Outcome> update(String id, List<String> expectedPath, NodeChange change);

  /** Moves a node (with its subtree) under another parent: OK, UNCHANGED, NO_NODE, NO_PARENT, ROOT, CYCLE, CHANGED, TOO_DEEP, TOO_LARGE. */
  Future<Affected> move(String id, List<String> expectedPath, String parentId, List<String> expectedParentPath);

  /**
   * Deletes a node, with its subtree and their devices when {@code cascade}: OK, NO_NODE, ROOT, NOT_EMPTY, CHANGED,
   * TOO_LARGE. The deleted ids leave the scopes of the tenant's users and clients ({@link Affected#users()},
   * {@link Affected#clients()}).
   */
  Future<Affected> delete(String id, List<String> expectedPath, boolean cascade);
}
