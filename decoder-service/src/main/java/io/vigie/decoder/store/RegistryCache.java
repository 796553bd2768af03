package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.MessageIds;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.TtlCache;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-device answers of the registry ({@code registry.device.context}, {@code registry.device.keys}), cached
 * locally so a warm decoder makes no registry round trip per uplink. "No such device" (failure 404) is
 * remembered for a shorter time. {@code registry.changed} publications invalidate: a device change drops that
 * device, any other change but a user's (device type, node, tenant) drops everything. Concurrent lookups of one
 * device share one registry request, and a lookup that was in flight during an invalidation is not cached (it may
 * predate the change). Other failures (409, timeouts) are passed on and not cached.
 *
 * <p>Never logs what it caches (session keys go through here). Not thread-safe: used from the decoder verticle's
 * event loop only.
 */
public final class RegistryCache<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCache.class);

  /** Cached answer of the registry: a value, or {@code null} for "no such device". */
  private record Known<T>(T value) {}

  private final EventBus bus;
  private final String address;
  private final String what;
  private final Function<JsonObject, T> parse;
  private final DecoderConfig config;
  private final DeliveryOptions delivery;
  private final TtlCache<String, Known<T>> cache;
  private final Map<String, Future<Known<T>>> pending = new HashMap<>();
  private final Runnable onRegistryRequest;
  private long generation;

  /**
   * @param address the registry's request-reply address; body {@code {"devEui"}}
   * @param what what is looked up, for messages ("device context")
   */
  public RegistryCache(EventBus bus, String address, String what, Function<JsonObject, T> parse, DecoderConfig config,
                       LongSupplier nanoClock, Runnable onRegistryRequest) {
    this.bus = bus;
    this.address = address;
    this.what = what;
    this.parse = parse;
    this.config = config;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    this.cache = new TtlCache<>(config.cacheSize(), nanoClock);
    this.onRegistryRequest = onRegistryRequest;
  }

  /** The device's value; fails with a 404 {@link ApiException} when the registry does not know the device. */
  public Future<T> get(String devEui) {
    var cached = cache.get(devEui);
    Future<Known<T>> known;
    if (cached != null) {
      known = Future.succeededFuture(cached);
    } else {
      known = pending.get(devEui);
      if (known == null) {
        known = lookup(devEui);
        if (!known.isComplete()) pending.put(devEui, known);
      }
    }
    return known.compose(k -> k.value() != null ? Future.succeededFuture(k.value())
        : Future.failedFuture(ApiException.notFound("unknown device " + devEui)));
  }

  private Future<Known<T>> lookup(String devEui) {
    onRegistryRequest.run();
    var startedAt = generation;
    Promise<Known<T>> result = Promise.promise();
    var future = result.future();
    bus.request(address, new JsonObject().put("devEui", devEui), delivery)
        .map(reply -> new Known<>(parse.apply((JsonObject) reply.body())))
        .recover(failure -> isNotFound(failure) ? Future.succeededFuture(new Known<T>(null)) : Future.failedFuture(failure))
        .onComplete(done -> {
          pending.remove(devEui, future);
          // an answer that was on its way during an invalidation may predate the change: not cached
          if (done.succeeded() && startedAt == generation) {
            var known = done.result();
            cache.put(devEui, known, known.value() != null ? config.cacheTtlMs() : config.unknownTtlMs());
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
        LOG.debug("device {} changed: its {} will be fetched again", devEui, what);
        return;
      } catch (IllegalArgumentException e) {
        LOG.warn("registry.changed names a device that is not a DevEUI ({}): dropping every cached {}", e.getMessage(), what);
      }
    }
    cache.clear();
    pending.clear();
    LOG.debug("registry {} {} changed: every cached {} dropped", kind, change == null ? null : change.getValue("id"), what);
  }

  public int size() {
    return cache.size();
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == 404;
  }
}
