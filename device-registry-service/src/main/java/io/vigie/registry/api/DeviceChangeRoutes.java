package io.vigie.registry.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.store.DeviceStore;
import io.vigie.registry.store.NodeStore;

/**
 * {@code PATCH|DELETE /api/v1/devices/{devEui}}: device management (admin or operator) on the device's node,
 * and on its new node when it moves. A new activation replaces the old one whole, keys included.
 */
public final class DeviceChangeRoutes {
  private final DeviceCommands commands;

  public DeviceChangeRoutes(NodeStore nodes, DeviceStore devices, Changes changes) {
    this.commands = new DeviceCommands(nodes, devices, changes);
  }

  public void mount(Router router, AuthHandler auth) {
    router.patch("/api/v1/devices/:devEui").handler(Requests.bodies(16_384)).handler(auth).handler(this::patch);
    router.delete("/api/v1/devices/:devEui").handler(auth).handler(this::delete);
  }

  private void patch(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var devEui = MessageIds.normalizeDevEui(ctx.pathParam("devEui"));
    var change = DeviceInput.change(Requests.body(ctx));
    commands.update(principal, devEui, change)
        .onSuccess(device -> Requests.ok(ctx, device.toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var devEui = MessageIds.normalizeDevEui(ctx.pathParam("devEui"));
    commands.delete(principal, devEui)
        .onSuccess(ignored -> Requests.noContent(ctx))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
