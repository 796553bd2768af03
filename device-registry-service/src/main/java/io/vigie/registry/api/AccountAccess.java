package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.NodeStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may see and change users and partner clients: an admin of their tenant who administers every one of their
 * scopes (an account left without scopes needs the tenant root). Granting: only admins; each scope a node the
 * admin administers; a role no higher than the admin's own. One instance per request (it memoises node paths).
 */
final class AccountAccess {
  private final NodeStore nodes;
  private final Map<String, Future<NodePath>> paths = new HashMap<>();

  AccountAccess(NodeStore nodes) {
    this.nodes = nodes;
  }

  private Future<NodePath> path(String id) {
    return paths.computeIfAbsent(id, nodes::path);
  }

  /** True when {@code caller} administers the whole of an account of {@code tenant} with these scopes. */
  Future<Boolean> covers(VigiePrincipal caller, String tenant, List<String> scopes) {
    if (caller.role() != Role.ADMIN || !caller.tenant().equals(tenant)) return Future.succeededFuture(false);
    if (scopes.isEmpty()) {
      return Future.succeededFuture(Access.allows(caller, Access.Action.ADMINISTER, tenant, List.of(tenant)));
    }
    return Future.all(scopes.stream().map(scope -> path(scope).map(path -> path != null
            && Access.allows(caller, Access.Action.ADMINISTER, path.tenant(), path.ids()))).toList())
        .map(all -> all.list().stream().allMatch(Boolean.TRUE::equals));
  }

  /** Fails 400 (unknown or hidden) or 403 (not administered) unless the caller may grant every scope. */
  Future<Void> requireGrantable(VigiePrincipal caller, List<String> scopes) {
    return Future.all(scopes.stream().map(scope -> path(scope).map(path -> {
          var hidden = ApiException.badRequest("scope '" + scope + "' is not a node you can see");
          if (path == null) throw hidden;
          NodeAccess.require(caller, Access.Action.ADMINISTER, path.tenant(), path.ids(), hidden);
          return path;
        })).toList())
        .mapEmpty();
  }

  /** 403 unless the caller is an admin. */
  static void requireAdmin(VigiePrincipal caller, String what) {
    if (caller.role() != Role.ADMIN) throw ApiException.forbidden("only admins " + what);
  }

  /** 403 when {@code role} is above the caller's own (roles from most to least powerful: admin, operator, viewer, partner). */
  static void requireGrantable(VigiePrincipal caller, Role role) {
    if (role.ordinal() < caller.role().ordinal()) {
      throw ApiException.forbidden("role " + caller.role().wire() + " may not grant role " + role.wire());
    }
  }

  static Role role(String wire) {
    try {
      return Role.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("role must be admin, operator, viewer or partner");
    }
  }
}
