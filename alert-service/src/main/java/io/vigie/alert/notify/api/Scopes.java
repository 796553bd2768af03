package io.vigie.alert.notify.api;

import io.vertx.core.Future;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryFailures;
import io.vigie.registry.client.Scope;
import java.util.List;

/**
 * The access checks of the silences and channels routes: what the caller cannot see does not exist for it (404 for
 * the object, 400 for a node or device named in a body); seen but not allowed for the caller's role is 403.
 */
final class Scopes {
  private Scopes() {}

  /** Where a node or a device sits, when the caller may see it; else 400 as for a reference to nothing. */
  static Future<Scope> target(RegistryClient registry, VigiePrincipal principal, String nodeId, String devEui) {
    var scope = nodeId != null ? registry.nodeScope(principal.tenant(), nodeId) : registry.deviceScope(devEui);
    var named = nodeId != null ? "node " + nodeId : "device " + devEui;
    return scope.recover(e -> Future.failedFuture(RegistryFailures.isNotFound(e)
            ? ApiException.badRequest("unknown " + named) : e))
        .compose(found -> sees(principal, found.tenant(), found.pathIds()) ? Future.succeededFuture(found)
            : Future.failedFuture(ApiException.badRequest("unknown " + named)));
  }

  static boolean sees(VigiePrincipal principal, String tenant, List<String> pathIds) {
    return Access.allows(principal, Access.Action.READ, tenant, pathIds);
  }

  /** 403 unless the caller's role may do {@code action} there (the caller sees it). */
  static void require(VigiePrincipal principal, Access.Action action, String tenant, List<String> pathIds, String what) {
    if (!Access.allows(principal, action, tenant, pathIds)) {
      throw ApiException.forbidden("a " + principal.role().wire() + " may not " + what);
    }
  }
}
