package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.DeviceContext;
import io.vigie.realtime.domain.Fanout;
import io.vigie.realtime.domain.LiveAddress;
import java.util.ArrayList;

/** Asks the device registry over the event bus ({@code registry.device.context}, {@code registry.node.get}). */
public final class RegistryTargetScopes implements TargetScopes {
  private final EventBus bus;
  private final DeliveryOptions options;

  public RegistryTargetScopes(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  @Override
  public Future<Scope> scopeOf(LiveAddress target, String tenant) {
    Future<Scope> scope = target.isDevice() ? device(target.id()) : node(target.id(), tenant);
    return scope.recover(failure -> Future.failedFuture(
        failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
            && reply.failureCode() == 404 ? new UnknownTarget(target.address()) : failure));
  }

  private Future<Scope> device(String devEui) {
    return bus.<JsonObject>request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui), options)
        .map(reply -> {
          // a device is covered by the grants on its node path
          var device = DeviceContext.fromJson(reply.body());
          return new Scope(device.tenant(), device.pathIds());
        });
  }

  private Future<Scope> node(String id, String tenant) {
    return bus.<JsonObject>request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("tenant", tenant).put("id", id), options)
        .map(reply -> {
          var node = reply.body();
          var ids = new ArrayList<>(Fanout.pathIds(node.getJsonArray("path")));
          if (!ids.contains(id)) ids.add(id); // a node is part of its own subtree
          return new Scope(node.getString("tenant"), ids);
        });
  }
}
