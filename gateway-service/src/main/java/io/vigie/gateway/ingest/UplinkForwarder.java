package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands uplinks of one adapter to the pipeline ({@code uplink.received}, request-reply) and waits for the
 * end-to-end {@link Ack}, with at most {@code maxInFlight} uplinks waiting at once. Failures come back as
 * {@link ApiException}s: the pipeline's 4xx as they are (404 unknown device, 400 malformed), and a timeout, a
 * missing consumer, a 5xx or saturation as 503, so that the network server delivers again later.
 *
 * <p>A slot is taken with {@link #tryAcquire()} when an uplink arrives (so that uplinks waiting in the
 * de-duplication window count too) and given back when its ack or failure comes.
 */
public final class UplinkForwarder {
  private final Vertx vertx;
  private final String adapter;
  private final int maxInFlight;
  private final DeliveryOptions delivery;
  private final long timeoutMs;
  private final AtomicInteger inFlight = new AtomicInteger();

  public UplinkForwarder(Vertx vertx, String adapter, int maxInFlight, long requestTimeoutMs, IngestMetrics metrics) {
    this.vertx = vertx;
    this.adapter = adapter;
    this.maxInFlight = maxInFlight;
    this.delivery = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    this.timeoutMs = requestTimeoutMs;
    metrics.inFlight(adapter, inFlight::get);
  }

  /** Takes a slot and sends; fails with a saturation 503 when all slots are taken. */
  public Future<Ack> forward(Uplink uplink) {
    if (!tryAcquire()) return Future.failedFuture(saturated());
    return send(uplink);
  }

  /** Takes a slot if one is free; the caller then {@link #send}s (which gives it back). */
  public boolean tryAcquire() {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Sends an uplink whose slot was acquired; the slot is given back when the ack or the failure comes. */
  public Future<Ack> send(Uplink uplink) {
    Future<Ack> sent;
    try {
      sent = vertx.eventBus().<Object>request(Addresses.UPLINK_RECEIVED, uplink.toJson(), delivery)
          .transform(reply -> {
            if (reply.failed()) return Future.failedFuture(downstream(reply.cause()));
            if (!(reply.result().body() instanceof JsonObject body)) {
              return Future.failedFuture(ApiException.unavailable("the pipeline answered without an acknowledgement"));
            }
            var ack = Ack.fromJson(body);
            return Future.succeededFuture(ack.id() != null ? ack : new Ack(uplink.id(), ack.duplicate()));
          });
    } catch (RuntimeException e) {
      sent = Future.failedFuture(ApiException.unavailable("the uplink could not be handed to the pipeline: " + e.getMessage()));
    }
    return sent.andThen(done -> inFlight.decrementAndGet());
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** The failure of an uplink refused because the adapter is full. */
  public ApiException saturated() {
    return new Saturated(adapter, maxInFlight);
  }

  /** True when {@code failure} is a forwarder refusing work because it is full. */
  public static boolean isSaturation(Throwable failure) {
    return failure instanceof Saturated;
  }

  private ApiException downstream(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return ApiException.unavailable("no decoder is running (nothing consumes " + Addresses.UPLINK_RECEIVED + ")");
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
      return ApiException.unavailable("the pipeline did not acknowledge the uplink within " + timeoutMs + " ms");
    }
    var api = Errors.toApiException(failure);
    if (api.status() < 500) return api;
    return ApiException.unavailable("the pipeline could not take the uplink now: " + api.getMessage());
  }

  private static final class Saturated extends ApiException {
    Saturated(String adapter, int maxInFlight) {
      super(503, "unavailable", maxInFlight + " uplinks from " + adapter + " are already waiting for their acknowledgement; retry later");
    }
  }
}
