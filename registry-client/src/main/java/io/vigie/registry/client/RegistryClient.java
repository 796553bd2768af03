package io.vigie.registry.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.common.message.RegistryChange;
import io.vigie.lorawan.SessionKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service's view of the device registry: typed lookups over the bus, each kind cached
 * ({@link RegistryCache}: bounded, time to live, unknown answers remembered briefly, one request per key in flight),
 * invalidated by {@link RegistryChange}s on {@code registry.changed}:
 * <ul>
 *   <li>a device: its context and session keys, and every DevAddr answer (its DevAddr may have changed);</li>
 *   <li>a node: the contexts and nodes whose path contains it, and an unknown answer for its id;</li>
 *   <li>a device type: the contexts of devices of that type;</li>
 *   <li>a tenant: everything of that tenant, the session keys and the DevAddr answers;</li>
 *   <li>a user or a client: nothing (no cached answer shows them).</li>
 * </ul>
 * A lost invalidation is repaired by the time to live. Failures come as {@link ApiException}s
 * ({@link RegistryFailures}): 404 for unknown, 503 when the registry cannot be asked. Never logs what it caches
 * (session keys go through here).
 */
public final class RegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);

  private record NodeKey(String tenant, String id) {}

  private final Vertx vertx;
  private final RegistryClientConfig config;
  private final DeliveryOptions delivery;
  private final RegistryCache<String, DeviceContext> contexts;
  private final RegistryCache<String, SessionKeys> keys;
  private final RegistryCache<String, List<DevAddrDevice>> devAddrs;
  private final RegistryCache<NodeKey, RegistryNode> nodes;
  private MessageConsumer<Object> changes;

  /** @param service the owner, as the {@code service} tag of the cache counters */
  public RegistryClient(Vertx vertx, RegistryClientConfig config, MeterRegistry meters, String service) {
    this(vertx, config, meters, service, System::nanoTime);
  }

  /** @param nanoClock what time to live is measured on ({@link System#nanoTime} but in tests) */
  public RegistryClient(Vertx vertx, RegistryClientConfig config, MeterRegistry meters, String service, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.config = config;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    this.contexts = cache(meters, service, "device-context", nanoClock);
    this.keys = cache(meters, service, "session-keys", nanoClock);
    this.devAddrs = cache(meters, service, "devaddr", nanoClock);
    this.nodes = cache(meters, service, "node", nanoClock);
  }

  private <K, V> RegistryCache<K, V> cache(MeterRegistry meters, String service, String name, LongSupplier clock) {
    return new RegistryCache<>(config.size(), config.ttlMs(), config.unknownTtlMs(), clock,
        new CacheMetrics(meters, service, name));
  }

  /** Starts applying {@code registry.changed}; call it from the verticle that uses the client. */
  public Future<Void> listen() {
    changes = vertx.eventBus().consumer(Addresses.REGISTRY_CHANGED, message -> changed(message.body()));
    return changes.completion();
  }

  /** Stops applying {@code registry.changed}. */
  public Future<Void> close() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }

  /** The device's context; 404 when the registry does not know the device. */
  public Future<DeviceContext> device(String devEui) {
    return contexts.get(devEui, () -> ask(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui),
            DeviceContext::fromJson))
        .compose(known -> known(known, "unknown device " + devEui));
  }

  /** An ABP device's session keys; 404 unknown device, 409 not ABP or without keys (not cached). */
  public Future<SessionKeys> sessionKeys(String devEui) {
    return keys.get(devEui, () -> ask(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", devEui),
            json -> SessionKeys.fromHex(json.getString("devAddr"), json.getString("appSKey"), json.getString("nwkSKey"))))
        .compose(known -> known(known, "unknown device " + devEui));
  }

  /** The ABP devices using a DevAddr (8 hex, big-endian); empty when none. */
  public Future<List<DevAddrDevice>> devAddrDevices(String devAddr) {
    return devAddrs.get(devAddr, () -> ask(Addresses.REGISTRY_DEVADDR_LOOKUP, new JsonObject().put("devAddr", devAddr),
            RegistryClient::devices))
        .map(known -> known == null ? List.of() : known);
  }

  /**
   * A node with its path; 404 when the registry does not know it.
   *
   * @param tenant the node must belong to this tenant (null: any)
   */
  public Future<RegistryNode> node(String tenant, String nodeId) {
    return nodes.get(new NodeKey(tenant, nodeId), () -> ask(Addresses.REGISTRY_NODE_GET,
            new JsonObject().put("tenant", tenant).put("id", nodeId), RegistryNode::fromJson))
        .compose(known -> known(known, "unknown node " + nodeId));
  }

  /** A device's scope: its tenant and its node's path; 404 when unknown. */
  public Future<Scope> deviceScope(String devEui) {
    return device(devEui).map(device -> new Scope(device.tenant(), device.pathIds()));
  }

  /** A node's scope: its tenant and its path down to itself; 404 when unknown in {@code tenant}. */
  public Future<Scope> nodeScope(String tenant, String nodeId) {
    return node(tenant, nodeId).map(node -> new Scope(node.tenant(), node.pathIds()));
  }

  /** Applies a {@code registry.changed} body; one that cannot be read drops everything. */
  public void changed(Object body) {
    RegistryChange change;
    try {
      change = RegistryChange.fromJson(body instanceof JsonObject json ? json : null);
    } catch (IllegalArgumentException e) {
      LOG.warn("unreadable registry.changed ({}): every cached registry answer dropped", e.getMessage());
      dropAll();
      return;
    }
    changed(change);
  }

  /** Drops what {@code change} may have made wrong (see the class comment). */
  public void changed(RegistryChange change) {
    var id = change.id();
    var tenant = change.tenant();
    switch (change.kind()) {
      case USER, CLIENT -> { }
      case DEVICE -> {
        var devEui = devEui(id);
        if (devEui == null) {
          contexts.clear();
          keys.clear();
        } else {
          contexts.invalidate(devEui);
          keys.invalidate(devEui);
        }
        devAddrs.clear();
      }
      case NODE -> {
        contexts.invalidate((devEui, device) -> device != null && device.pathIds().contains(id));
        nodes.invalidate((key, node) -> key.id().equals(id) || node != null && node.pathIds().contains(id));
      }
      case DEVICE_TYPE -> contexts.invalidate((devEui, device) -> device != null && id.equals(device.type())
          && (tenant == null || tenant.equals(device.tenant())));
      case TENANT -> {
        contexts.invalidate((devEui, device) -> device != null && id.equals(device.tenant()));
        nodes.invalidate((key, node) -> node == null || id.equals(node.tenant()));
        keys.clear();
        devAddrs.clear();
      }
    }
    LOG.debug("registry {} {} changed", change.kind().wire(), id);
  }

  private void dropAll() {
    contexts.clear();
    keys.clear();
    devAddrs.clear();
    nodes.clear();
  }

  /** Asks the registry; its "not found" is the answer {@code null}, other failures become {@link ApiException}s. */
  private <T> Future<T> ask(String address, JsonObject body, Function<JsonObject, T> parse) {
    return vertx.eventBus().<JsonObject>request(address, body, delivery)
        .map(reply -> parse.apply(reply.body()))
        .recover(failure -> {
          var api = RegistryFailures.toApiException(failure, address, config.requestTimeoutMs());
          return api.status() == 404 ? Future.succeededFuture() : Future.failedFuture(api);
        });
  }

  private static <T> Future<T> known(T value, String unknown) {
    return value != null ? Future.succeededFuture(value) : Future.failedFuture(ApiException.notFound(unknown));
  }

  private static List<DevAddrDevice> devices(JsonObject body) {
    var devices = new ArrayList<DevAddrDevice>();
    if (body != null && body.getValue("devices") instanceof JsonArray array) {
      for (var device : array) {
        if (device instanceof JsonObject d && d.getValue("devEui") instanceof String devEui) {
          devices.add(new DevAddrDevice(devEui, d.getString("tenant")));
        }
      }
    }
    return devices.isEmpty() ? null : List.copyOf(devices);
  }

  private static String devEui(String id) {
    try {
      return MessageIds.normalizeDevEui(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
