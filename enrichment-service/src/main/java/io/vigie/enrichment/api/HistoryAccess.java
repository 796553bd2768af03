package io.vigie.enrichment.api;

import io.vertx.core.Future;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.registry.client.RegistryClient;
import java.util.List;

/**
 * Who may read the history of what: the device's or node's place in the hierarchy comes from the registry (cached by
 * the {@link RegistryClient}), the decision from {@link Access#allows}. Something out of the caller's scopes, in
 * another tenant or unknown answers the same 404: nothing tells them apart.
 */
final class HistoryAccess {
  private final RegistryClient registry;

  HistoryAccess(RegistryClient registry) {
    this.registry = registry;
  }

  /** The device, when the caller may read it. */
  Future<DeviceContext> device(VigiePrincipal principal, String devEui) {
    var hidden = ApiException.notFound("no device " + devEui);
    return registry.device(devEui)
        .recover(e -> Future.failedFuture(isNotFound(e) ? hidden : e))
        .compose(device -> Access.allows(principal, Access.Action.READ, device.tenant(), device.pathIds())
            ? Future.succeededFuture(device)
            : Future.failedFuture(hidden));
  }

  /** The node's path ids (root first, the node last), when the caller may read it. */
  Future<List<String>> node(VigiePrincipal principal, String nodeId) {
    var hidden = ApiException.notFound("no node " + nodeId);
    return registry.nodeScope(principal.tenant(), nodeId)
        .recover(e -> Future.failedFuture(isNotFound(e) ? hidden : e))
        .compose(scope -> Access.allows(principal, Access.Action.READ, scope.tenant(), scope.pathIds())
            ? Future.succeededFuture(scope.pathIds())
            : Future.failedFuture(hidden));
  }

  /** The registry's 404, or its 400 for an id it cannot even read: both are "no such thing" to the caller. */
  private static boolean isNotFound(Throwable e) {
    return e instanceof ApiException api && (api.status() == 404 || api.status() == 400);
  }
}
