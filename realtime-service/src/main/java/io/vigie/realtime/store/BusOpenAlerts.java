package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot of {@code alerts.node.<id>}: the subtree's open alerts, asked of the alert service on the bus
 * ({@link Addresses#ALERT_OPEN}, answered from its Redis state); other addresses go to {@code measurements}. Only
 * alerts of the caller's tenant whose device path is within its scopes are kept, whatever the answer holds.
 *
 * @param timeoutMs how long the alert service may take (then an empty, incomplete snapshot)
 */
public record BusOpenAlerts(Vertx vertx, long timeoutMs, LatestValues measurements) implements LatestValues {
  private static final Logger LOG = LoggerFactory.getLogger(BusOpenAlerts.class);

  @Override
  public Future<Snapshot> of(LiveAddress target, VigiePrincipal principal) {
    if (target.kind() != LiveAddress.Kind.NODE_ALERTS) return measurements.of(target, principal);
    var request = new JsonObject().put("tenant", principal.tenant()).put("nodeId", target.id());
    return vertx.eventBus().<JsonObject>request(Addresses.ALERT_OPEN, request, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> {
          var kept = new JsonArray();
          var answered = reply.body().getJsonArray("alerts", new JsonArray());
          for (var item : answered) {
            if (item instanceof JsonObject alert && within(principal, alert, target.id())) kept.add(alert);
          }
          return new Snapshot(kept, reply.body().getBoolean("complete", false));
        })
        .otherwise(failure -> {
          LOG.warn("no alert snapshot for {}: the alert service did not answer ({})", target.address(), failure.getMessage());
          return Snapshot.unavailable();
        });
  }

  private static boolean within(VigiePrincipal principal, JsonObject alert, String nodeId) {
    var ids = alert.getJsonArray("pathIds", new JsonArray()).getList();
    var pathIds = ids.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    return pathIds.contains(nodeId) && Access.allows(principal, Access.Action.SUBSCRIBE, alert.getString("tenant"), List.copyOf(pathIds));
  }
}
