package io.vigie.enrichment.api;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may read the history of what: the device's or node's place in the hierarchy comes from the registry
 * ({@code registry.device.context}, {@code registry.node.get}), the decision from {@link Access#allows}. Something
 * out of the caller's scopes, in another tenant or unknown answers the same 404: nothing tells them apart.
 */
final class HistoryAccess {
  private final EventBus bus;
  private final DeliveryOptions options;

  HistoryAccess(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** The device, when the caller may read it. */
  Future<DeviceContext> device(VigiePrincipal principal, String devEui) {
    var hidden = ApiException.notFound("no device " + devEui);
    return bus.<JsonObject>request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui), options)
        .map(reply -> DeviceContext.fromJson(reply.body()))
        .recover(e -> Future.failedFuture(isNotFound(e) ? hidden : e))
        .compose(device -> Access.allows(principal, Access.Action.READ, device.tenant(), device.pathIds())
            ? Future.succeededFuture(device)
            : Future.failedFuture(hidden));
  }

  /** The node's path ids (root first, the node last), when the caller may read it. */
  Future<List<String>> node(VigiePrincipal principal, String nodeId) {
    var hidden = ApiException.notFound("no node " + nodeId);
    return bus.<JsonObject>request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("tenant", principal.tenant()).put("id", nodeId), options)
        .recover(e -> Future.failedFuture(isNotFound(e) ? hidden : e))
        .compose(reply -> {
          var node = reply.body();
          var ids = new ArrayList<String>();
          node.getJsonArray("path", new JsonArray()).forEach(p -> ids.add(p instanceof JsonObject o ? o.getString("id") : String.valueOf(p)));
          if (!ids.contains(nodeId)) ids.add(nodeId);
          return Access.allows(principal, Access.Action.READ, node.getString("tenant"), ids)
              ? Future.succeededFuture(List.copyOf(ids))
              : Future.failedFuture(hidden);
        });
  }

  private static boolean isNotFound(Throwable e) {
    return e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (reply.failureCode() == 404 || reply.failureCode() == 400);
  }
}
