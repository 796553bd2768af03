package io.vigie.registry;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.auth.TokenIssuer;
import io.vigie.registry.domain.DeviceType;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.DeviceStore;
import io.vigie.registry.store.NodeStore;

/**
 * The registry's request-reply API on the bus: the JWKS ({@link Addresses#REGISTRY_JWKS}), a device's context
 * for the pipeline ({@link Addresses#REGISTRY_DEVICE_CONTEXT}) and a node with its path
 * ({@link Addresses#REGISTRY_NODE_GET}). Failures carry HTTP-like codes (400, 404, 500).
 */
final class RegistryVerticle extends VerticleBase {
  private final TokenIssuer issuer;
  private final NodeStore nodes;
  private final DeviceStore devices;

  RegistryVerticle(TokenIssuer issuer, NodeStore nodes, DeviceStore devices) {
    this.issuer = issuer;
    this.nodes = nodes;
    this.devices = devices;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.REGISTRY_JWKS, message -> message.reply(issuer.jwks())).completion(),
        bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, this::deviceContext).completion(),
        bus.<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, this::nodeGet).completion());
  }

  private void deviceContext(Message<JsonObject> message) {
    String devEui;
    try {
      devEui = MessageIds.normalizeDevEui(message.body() == null ? null : message.body().getString("devEui"));
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(400, e.getMessage());
      return;
    }
    devices.get(devEui).onSuccess(device -> {
      if (device == null) {
        message.fail(404, "unknown device " + devEui);
        return;
      }
      Future.all(nodes.path(device.nodeId()), devices.type(device.tenant(), device.type()))
          .onSuccess(all -> {
            NodePath path = all.resultAt(0);
            DeviceType type = all.resultAt(1);
            if (path == null) {
              message.fail(500, "device " + devEui + " is attached to a missing node " + device.nodeId());
              return;
            }
            message.reply(new DeviceContext(devEui, device.tenant(), device.name(), device.type(), device.nodeId(),
                device.activationMode(), type == null ? null : type.toJson(), path.elements(), path.node().attributes())
                .toJson());
          })
          .onFailure(e -> BusReplies.fail(message, e));
    }).onFailure(e -> BusReplies.fail(message, e));
  }

  private void nodeGet(Message<JsonObject> message) {
    var body = message.body() == null ? new JsonObject() : message.body();
    if (!(body.getValue("id") instanceof String id)) {
      message.fail(400, "id is required");
      return;
    }
    var tenant = body.getValue("tenant") instanceof String t ? t : null;
    if (!Ids.isId(id)) {
      message.fail(404, "unknown node " + id);
      return;
    }
    nodes.path(id).onSuccess(path -> {
      if (path == null || (tenant != null && !tenant.equals(path.tenant()))) {
        message.fail(404, "unknown node " + id);
      } else {
        message.reply(path.toBusJson());
      }
    }).onFailure(e -> BusReplies.fail(message, e));
  }
}
