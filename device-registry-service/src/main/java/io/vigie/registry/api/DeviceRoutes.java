package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.domain.Device;
import io.vigie.registry.store.DeviceStore;
import io.vigie.registry.store.NodeStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /api/v1/devices}, {@code GET /api/v1/devices/{devEui}}, {@code GET /api/v1/devices?nodeId=&recursive=}.
 * Session keys go in, never out. Creating needs device management (admin or operator) on the node.
 */
public final class DeviceRoutes {
  private final DeviceStore devices;
  private final NodeAccess access;
  private final DeviceCommands commands;

  public DeviceRoutes(NodeStore nodes, DeviceStore devices, Changes changes) {
    this.devices = devices;
    this.access = new NodeAccess(nodes);
    this.commands = new DeviceCommands(nodes, devices, changes);
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/devices").handler(Requests.bodies(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/devices/:devEui").handler(auth).handler(this::get);
    router.get("/api/v1/devices").handler(auth).handler(this::list);
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var spec = DeviceInput.spec(Requests.body(ctx), false);
    commands.create(principal, spec)
        .onSuccess(device -> Requests.created(ctx, "/api/v1/devices/" + device.devEui(), device.toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void get(RoutingContext ctx) {
    var devEui = MessageIds.normalizeDevEui(ctx.pathParam("devEui"));
    commands.visible(AuthHandler.principal(ctx), devEui)
        .onSuccess(located -> Requests.ok(ctx, located.device().toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** With {@code nodeId}: that node's devices (its subtree's with {@code recursive=true}); without: every device in the caller's scopes. */
  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.queryParams().get("nodeId");
    var recursive = "true".equalsIgnoreCase(ctx.queryParams().get("recursive"));
    Future<List<Device>> found;
    if (nodeId == null) {
      found = Future.all(principal.scopes().stream()
              .map(scope -> devicesOf(principal, scope, true).otherwise(List.of())).toList())
          .map(all -> {
            var merged = new ArrayList<Device>();
            for (int i = 0; i < all.size(); i++) merged.addAll(all.<List<Device>>resultAt(i));
            return merged.stream().distinct().sorted(Comparator.comparing(Device::devEui)).toList();
          });
    } else {
      found = devicesOf(principal, nodeId, recursive);
    }
    found.onSuccess(list -> Requests.ok(ctx, new JsonObject().put("devices",
            new JsonArray(list.stream().map(Device::toJson).toList()))))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private Future<List<Device>> devicesOf(VigiePrincipal principal, String nodeId, boolean recursive) {
    return access.visible(principal, nodeId).compose(path -> devices.devicesOf(nodeId, recursive));
  }
}
