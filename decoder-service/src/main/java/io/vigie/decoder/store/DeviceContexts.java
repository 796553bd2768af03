package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.TtlCache;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device contexts from the registry ({@code registry.device.context}), cached locally so a warm
 * decoder makes no registry round trip per uplink. Unknown devices are remembered for a shorter
 * time. {@code registry.changed} publications invalidate: a device change drops that device, any
 * other change (device type, node, tenant) drops everything. Concurrent lookups of one device
 * share one registry request, and a lookup that was in flight during an invalidation is not
 * cached (it may predate the change).
 *
 * <p>Not thread-safe: used from the decoder verticle's event loop only.
 */
public final class DeviceContexts {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceContexts.class);

  /** Cached answer of the registry: a context, or {@code null} for "no such device". */
  private record Known(DeviceContext context) {}

  private final EventBus bus;
  private final DecoderConfig config;
  private final DeliveryOptions delivery;
  private final TtlCache<String, Known> cache;
  private final Map<String, Future<Known>> pending = new HashMap<>();
  private final Runnable onRegistryRequest;
  private long generation;

  public DeviceContexts(EventBus bus, DecoderConfig config, LongSupplier nanoClock, Runnable onRegistryRequest) {
    this.bus = bus;
    this.config = config;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    this.cache = new TtlCache<>(config.cacheSize(), nanoClock);
    this.onRegistryRequest = onRegistryRequest;
  }

  /** The device's context; fails with a 404 {@link ApiException} when the registry does not know it. */
  public Future<DeviceContext> get(String devEui) {
    var cached = cache.get(devEui);
    Future<Known> known;
    if (cached != null) {
      known = Future.succeededFuture(cached);
    } else {
      known = pending.get(devEui);
      if (known == null) {
        known = lookup(devEui);
        if (!known.isComplete()) pending.put(devEui, known);
      }
    }
    return known.compose(k -> k.context() != null ? Future.succeededFuture(k.context())
        : Future.failedFuture(ApiException.notFound("unknown device " + devEui)));
  }

  private Future<Known> lookup(String devEui) {
    onRegistryRequest.run();
    var startedAt = generation;
    Promise<Known> result = Promise.promise();
    var future = result.future();
    bus.request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui), delivery)
        .map(reply -> new Known(DeviceContext.fromJson((JsonObject) reply.body())))
        .recover(failure -> isNotFound(failure) ? Future.succeededFuture(new Known(null)) : Future.failedFuture(failure))
        .onComplete(done -> {
          pending.remove(devEui, future);
          // an answer that was on its way during an invalidation may predate the change: not cached
          if (done.succeeded() && startedAt == generation) {
            var known = done.result();
            cache.put(devEui, known, known.context() != null ? config.cacheTtlMs() : config.unknownTtlMs());
          }
          result.handle(done);
        });
    return future;
  }

  /** Applies a {@code registry.changed} publication {@code {"kind","id","tenant"?}}. */
  public void changed(JsonObject change) {
    var kind = change == null ? null : change.getString("kind");
    if ("user".equals(kind)) return;
    generation++;
    if ("device".equals(kind)) {
      try {
        var devEui = MessageIds.normalizeDevEui(change.getString("id"));
        cache.remove(devEui);
        pending.remove(devEui);
        LOG.debug("device {} changed: its context will be fetched again", devEui);
        return;
      } catch (IllegalArgumentException e) {
        LOG.warn("registry.changed names a device that is not a DevEUI ({}): dropping every cached context", e.getMessage());
      }
    }
    cache.clear();
    pending.clear();
    LOG.debug("registry {} {} changed: every cached device context dropped", kind, change == null ? null : change.getValue("id"));
  }

  public int size() {
    return cache.size();
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == 404;
  }
}
