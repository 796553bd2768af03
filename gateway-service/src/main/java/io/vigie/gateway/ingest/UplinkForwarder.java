package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.store.IngestLog;
import io.vigie.registry.client.RegistryClient;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Hands uplinks of one adapter to the ingest log, with at most {@code maxInFlight} appends waiting at once. At the
 * door, an uplink of a device the registry does not know fails with 404 (the registry-client's cached view; raw
 * Semtech frames were resolved from their DevAddr already). Failures come back as {@link ApiException}s: 404, and
 * 503 for a full log, Redis or the registry unreachable, or saturation, so that the network server delivers again.
 *
 * <p>A slot is taken with {@link #tryAcquire()} when an uplink arrives (so that uplinks waiting in the
 * de-duplication window count too) and given back when the append answers.
 */
public final class UplinkForwarder {
  private final String adapter;
  private final int maxInFlight;
  private final Function<Uplink, Future<Ack>> append;
  private final IngestMetrics metrics;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** @param append the door check and the append ({@link #appendingTo}) */
  public UplinkForwarder(String adapter, int maxInFlight, Function<Uplink, Future<Ack>> append, IngestMetrics metrics) {
    this.adapter = adapter;
    this.maxInFlight = maxInFlight;
    this.append = append;
    this.metrics = metrics;
    metrics.inFlight(adapter, inFlight::get);
  }

  /** Takes a slot if one is free; the caller then {@link #send}s (which gives it back). */
  public boolean tryAcquire() {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Appends an uplink whose slot was acquired; the slot is given back when the append answers. */
  public Future<Ack> send(Uplink uplink) {
    Future<Ack> sent;
    try {
      sent = append.apply(uplink).andThen(done -> {
        if (done.succeeded()) metrics.appended(adapter, done.result().duplicate());
      });
    } catch (RuntimeException e) {
      sent = Future.failedFuture(ApiException.unavailable("the uplink could not be appended: " + e.getMessage()));
    }
    return sent.andThen(done -> inFlight.decrementAndGet());
  }

  /**
   * Refuses an uplink of a device the registry does not know (404), then appends it to {@code log}; one device's
   * uplinks in the order they came: each is handed to the log (which keeps that order) once the door let the previous
   * one through, without waiting for its append. A counter already appended is a duplicate, or for a raw Semtech
   * frame a replay refused with 409 ({@link AlreadyAppended}); either fate is recorded.
   */
  public static Function<Uplink, Future<Ack>> appendingTo(IngestLog log, RegistryClient registry, EventBus bus) {
    var sequencer = new Sequencer<Future<Ack>>();
    var alreadyAppended = new AlreadyAppended(log, registry, bus);
    return uplink -> sequencer.run(IngestLog.deviceKey(uplink), () -> {
      var known = SemtechUdp.SOURCE.equals(uplink.source()) ? Future.succeededFuture()
          : registry.device(uplink.devEui()).recover(e -> Future.failedFuture(door(e)));
      return known.map(device -> log.append(uplink));
    }).compose(appended -> appended).compose(ack -> alreadyAppended.settle(uplink, ack));
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

  /** The registry's 404 as it is; anything else (no registry, a timeout) means "try again later". */
  private static ApiException door(Throwable failure) {
    var api = Errors.toApiException(failure);
    return api.status() == 404 ? api : ApiException.unavailable("the device registry cannot tell whether the device exists: "
        + api.getMessage());
  }

  private static final class Saturated extends ApiException {
    Saturated(String adapter, int maxInFlight) {
      super(503, "unavailable", maxInFlight + " uplinks from " + adapter + " are already waiting to be appended; retry later");
    }
  }
}
