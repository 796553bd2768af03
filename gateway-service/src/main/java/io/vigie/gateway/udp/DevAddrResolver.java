package io.vigie.gateway.udp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DevAddr → DevEUIs of the ABP devices using it, asked of the registry ({@code registry.devaddr.lookup}) and
 * cached: answers for {@link #KNOWN_TTL_MS}, "unknown" for {@link #UNKNOWN_TTL_MS}, concurrent lookups of the same
 * DevAddr (one frame from several gateways) share one request; everything is forgotten on
 * {@code registry.changed}. A failed lookup is not cached.
 */
final class DevAddrResolver {
  static final long KNOWN_TTL_MS = 5 * 60_000;
  static final long UNKNOWN_TTL_MS = 30_000;
  private static final int MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  private final DeliveryOptions delivery;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Future<List<String>> devEuis, long expiresAt) {}

  DevAddrResolver(Vertx vertx, long requestTimeoutMs) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(Math.min(requestTimeoutMs, 5_000));
  }

  /** The DevEUIs using {@code devAddr} (8 hex, big-endian); empty when none. */
  Future<List<String>> resolve(String devAddr) {
    var now = System.currentTimeMillis();
    var cached = cache.get(devAddr);
    if (cached != null && (!cached.devEuis().isComplete() || now < cached.expiresAt())) return cached.devEuis();
    if (cache.size() >= MAX_ENTRIES) cache.clear();
    var lookup = lookup(devAddr);
    cache.put(devAddr, new Cached(lookup, Long.MAX_VALUE));
    lookup.onComplete(result -> {
      if (result.failed()) {
        cache.remove(devAddr);
      } else {
        var ttl = result.result().isEmpty() ? UNKNOWN_TTL_MS : KNOWN_TTL_MS;
        cache.computeIfPresent(devAddr, (key, entry) -> entry.devEuis() == lookup
            ? new Cached(lookup, System.currentTimeMillis() + ttl) : entry);
      }
    });
    return lookup;
  }

  /** Forgets every answer: a device was added, changed or removed. */
  void invalidate() {
    cache.clear();
  }

  private Future<List<String>> lookup(String devAddr) {
    return vertx.eventBus().<Object>request(Addresses.REGISTRY_DEVADDR_LOOKUP, new JsonObject().put("devAddr", devAddr), delivery)
        .transform(reply -> {
          if (reply.failed()) {
            if (reply.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && e.failureCode() == 404) {
              return Future.succeededFuture(List.of());
            }
            return Future.failedFuture(reply.cause());
          }
          var devEuis = new ArrayList<String>();
          if (reply.result().body() instanceof JsonObject body && body.getValue("devices") instanceof JsonArray devices) {
            for (var device : devices) {
              if (device instanceof JsonObject d && d.getValue("devEui") instanceof String devEui) devEuis.add(devEui);
            }
          }
          return Future.succeededFuture(List.copyOf(devEuis));
        });
  }
}
