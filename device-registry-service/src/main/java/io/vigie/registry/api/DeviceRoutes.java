package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.SessionKeys;
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
  private final NodeStore nodes;
  private final DeviceStore devices;
  private final Changes changes;

  public DeviceRoutes(NodeStore nodes, DeviceStore devices, Changes changes) {
    this.nodes = nodes;
    this.devices = devices;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/devices").handler(BodyHandler.create().setBodyLimit(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/devices/:devEui").handler(auth).handler(this::get);
    router.get("/api/v1/devices").handler(auth).handler(this::list);
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var body = Requests.body(ctx);
    if (!(body.getValue("devEui") instanceof String rawEui)) throw ApiException.badRequest("devEui is required");
    var devEui = MessageIds.normalizeDevEui(rawEui);
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var nodeId = Requests.requiredId(body, "nodeId");
    var type = Requests.requiredId(body, "type");
    var activation = Requests.optionalObject(body, "activation");
    if (activation == null) throw ApiException.badRequest("activation is required: {\"mode\":\"ABP\"|\"network-decrypted\"}");
    var mode = activation.getValue("mode");
    String devAddr = null;
    SessionKeys keys = null;
    if (Device.ABP.equals(mode)) {
      devAddr = Ids.devAddr(string(activation, "devAddr"));
      keys = new SessionKeys(Ids.sessionKey("appSKey", string(activation, "appSKey")),
          Ids.sessionKey("nwkSKey", string(activation, "nwkSKey")));
    } else if (!Device.NETWORK_DECRYPTED.equals(mode)) {
      throw ApiException.badRequest("activation.mode must be ABP or network-decrypted");
    }
    var unknownNode = ApiException.badRequest("nodeId '" + nodeId + "' is not a node you can see");
    var device = new Device(devEui, principal.tenant(), name, nodeId, type, (String) mode, devAddr);
    var sessionKeys = keys;

    nodes.path(nodeId)
        .compose(path -> {
          if (path == null) return Future.failedFuture(unknownNode);
          Requests.requireAllowed(principal, Access.Action.MANAGE_DEVICES, path.tenant(), path.ids(), unknownNode);
          return devices.create(device, sessionKeys);
        })
        .map(outcome -> switch (outcome) {
          case OK -> device.toJson();
          case DUPLICATE -> throw ApiException.conflict("device " + devEui + " already exists");
          case NO_TYPE -> throw ApiException.badRequest("type '" + type + "' is not a device type of this tenant");
          default -> throw unknownNode;
        })
        .onSuccess(json -> {
          changes.publish("device", devEui, device.tenant());
          Requests.created(ctx, "/api/v1/devices/" + devEui, json);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var devEui = MessageIds.normalizeDevEui(ctx.pathParam("devEui"));
    var notFound = ApiException.notFound("device " + devEui + " not found");
    devices.get(devEui)
        .compose(device -> device == null ? Future.failedFuture(notFound)
            : nodes.path(device.nodeId()).map(path -> {
              if (path == null) throw notFound;
              Requests.requireVisible(principal, device.tenant(), path.ids(), notFound.getMessage());
              return device;
            }))
        .onSuccess(device -> Requests.ok(ctx, device.toJson()))
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
    var notFound = ApiException.notFound("node '" + nodeId + "' not found");
    if (!Ids.isId(nodeId)) return Future.failedFuture(notFound);
    return nodes.path(nodeId).compose(path -> {
      if (path == null) return Future.failedFuture(notFound);
      Requests.requireVisible(principal, path.tenant(), path.ids(), notFound.getMessage());
      return devices.devicesOf(nodeId, recursive);
    });
  }

  private static String string(JsonObject json, String field) {
    return json.getValue(field) instanceof String s ? s : null;
  }
}
