package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's view of devices and of their nodes' attributes, asked over the bus
 * ({@link Addresses#REGISTRY_DEVICE_CONTEXT}, {@link Addresses#REGISTRY_NODE_GET}) and kept in a local
 * cache that {@link Addresses#REGISTRY_CHANGED} invalidates: a changed device is forgotten, a changed
 * node, device type or tenant forgets everything (a moved room changes the path of every device below
 * it). Once warm, the hot path asks the registry nothing.
 *
 * <p>Not thread-safe: used from the enrichment verticle's context only.
 */
final class DeviceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceDirectory.class);
  static final int MAX_ENTRIES = 100_000;

  private final EventBus bus;
  private final DeliveryOptions request;
  /** In-flight and answered lookups; a failed lookup (unknown device) is not kept. Least recently used first. */
  private final Map<String, Future<DeviceContext>> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<DeviceContext>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** The attributes of nodes by id, same rules. */
  private final Map<String, Future<JsonObject>> attributes = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<JsonObject>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  DeviceDirectory(EventBus bus, long requestTimeoutMs) {
    this.bus = bus;
    this.request = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
  }

  /** The device's context; fails with the registry's 404 for an unknown device. */
  Future<DeviceContext> lookup(String devEui) {
    var known = cache.get(devEui);
    if (known != null) return known;
    Future<DeviceContext> asked = bus.<JsonObject>request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui), request)
        .map(reply -> DeviceContext.fromJson(reply.body()));
    cache.put(devEui, asked);
    asked.onFailure(e -> cache.remove(devEui, asked));
    return asked;
  }

  /**
   * The attributes of a device's node ({@code {}} when it has none, or when the registry no longer knows the node);
   * fails when the registry cannot answer.
   */
  Future<JsonObject> attributes(String tenant, String nodeId) {
    if (nodeId == null) return Future.succeededFuture(new JsonObject());
    var known = attributes.get(nodeId);
    if (known != null) return known;
    Future<JsonObject> asked = bus.<JsonObject>request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("tenant", tenant).put("id", nodeId), request)
        .map(reply -> reply.body().getJsonObject("attributes", new JsonObject()))
        .recover(e -> e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == 404
            ? Future.succeededFuture(new JsonObject())
            : Future.failedFuture(e));
    attributes.put(nodeId, asked);
    asked.onFailure(e -> attributes.remove(nodeId, asked));
    return asked;
  }

  /** Applies one {@code registry.changed} event {@code {"kind","id","tenant"}}. */
  void changed(JsonObject change) {
    var kind = change.getString("kind", "");
    switch (kind) {
      case "user" -> { } // users do not show in measurements
      case "device" -> forgetDevice(change.getString("id"));
      default -> {
        LOG.debug("registry {} {} changed: forgetting {} cached devices", kind, change.getString("id"), cache.size());
        cache.clear();
        attributes.clear();
      }
    }
  }

  private void forgetDevice(String id) {
    try {
      cache.remove(MessageIds.normalizeDevEui(id));
    } catch (IllegalArgumentException e) {
      cache.clear();
    }
  }

  int size() {
    return cache.size();
  }
}
