package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.NodeStore;
import java.util.List;

/**
 * The access rule on nodes, applied with {@code common}'s {@link Access#allows} on the node's path from its
 * tenant root:
 * <ul>
 *   <li>the object a route names (in its URL) answers 404 when missing or outside the caller's tenant and
 *       scopes, word for word like a missing one; 403 when visible but the role may not do this;</li>
 *   <li>a node a write refers to (a parent, a device's node, a scope) answers 400 when missing or outside, like
 *       a reference to nothing; 403 when visible but the role may not do this there.</li>
 * </ul>
 */
final class NodeAccess {
  private final NodeStore nodes;

  NodeAccess(NodeStore nodes) {
    this.nodes = nodes;
  }

  static ApiException nodeNotFound(String id) {
    return ApiException.notFound("node '" + id + "' not found");
  }

  static ApiException notVisible(String field, String id) {
    return ApiException.badRequest(field + " '" + id + "' is not a node you can see");
  }

  static ApiException forbidden(VigiePrincipal principal) {
    return ApiException.forbidden("role " + principal.role().wire() + " may not do this here");
  }

  /** The node named by a route, when the caller may read it; else 404. */
  Future<NodePath> visible(VigiePrincipal principal, String id) {
    if (!Ids.isId(id)) return Future.failedFuture(nodeNotFound(id));
    return nodes.path(id).map(path -> {
      if (path == null || !Access.allows(principal, Access.Action.READ, path.tenant(), path.ids())) {
        throw nodeNotFound(id);
      }
      return path;
    });
  }

  /** A node a write refers to in field {@code field}, when the caller may do {@code action} there; else 400 / 403. */
  Future<NodePath> referenced(VigiePrincipal principal, String field, String id, Access.Action action) {
    if (!Ids.isId(id)) return Future.failedFuture(notVisible(field, id));
    return nodes.path(id).map(path -> {
      if (path == null) throw notVisible(field, id);
      require(principal, action, path.tenant(), path.ids(), notVisible(field, id));
      return path;
    });
  }

  /** 404-like {@code hidden} when the caller cannot read the path, 403 when it may read but not do {@code action}. */
  static void require(VigiePrincipal principal, Access.Action action, String tenant, List<String> pathIds,
                      ApiException hidden) {
    if (!Access.allows(principal, Access.Action.READ, tenant, pathIds)) throw hidden;
    if (!Access.allows(principal, action, tenant, pathIds)) throw forbidden(principal);
  }

  /**
   * A node as {@code principal} sees it: its {@code path} starts at the highest node the caller can see (the
   * tenant root for tenant-wide users), and the {@code parentId} of that top node is null. The ids above a
   * caller's scopes are not its business.
   */
  static JsonObject view(VigiePrincipal principal, Node node, List<String> pathIds) {
    int top = 0;
    while (top < pathIds.size() - 1 && !principal.scopes().contains(pathIds.get(top))) top++;
    var json = node.toJson(pathIds.subList(top, pathIds.size()));
    if (top == pathIds.size() - 1) json.putNull("parentId");
    return json;
  }

  static JsonObject view(VigiePrincipal principal, NodePath path) {
    return view(principal, path.node(), path.ids());
  }

  /** The platform admins: admins of tenant {@code default} scoped to its root. Only they manage tenants. */
  static boolean isPlatformAdmin(VigiePrincipal principal) {
    return Access.allows(principal, Access.Action.ADMINISTER, PLATFORM_TENANT, List.of(PLATFORM_TENANT));
  }

  static final String PLATFORM_TENANT = "default";
}
