package io.vigie.common.launch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The requests this process received on the event bus and has not answered yet (a batch being decoded, enriched,
 * checked for alerts; a registry lookup): counted by an inbound interceptor, uncounted when the reply leaves. While
 * the process stops, a new request is refused at once (503 "stopping": its sender retries, on another instance) and
 * {@link #answered()} completes once every request taken before was answered. Messages without a reply address
 * (publications, replies) pass untouched.
 */
final class BusInFlight {
  /** Requests waiting for their reply, by reply address (counted: two senders' counters may give the same one). */
  private final Map<String, Integer> pending = new ConcurrentHashMap<>();
  private final BooleanSupplier stopping;
  private volatile Promise<Void> idle;

  BusInFlight(EventBus bus, BooleanSupplier stopping) {
    this.stopping = stopping;
    bus.addInboundInterceptor(delivery -> {
      var message = delivery.message();
      var replyAddress = message.replyAddress();
      if (replyAddress == null || message.address().startsWith("__vertx")) {
        delivery.next();
      } else if (this.stopping.getAsBoolean()) {
        message.fail(503, "this instance is stopping");
      } else {
        pending.merge(replyAddress, 1, Integer::sum);
        delivery.next();
      }
    });
    bus.addOutboundInterceptor(delivery -> {
      var answered = new boolean[1];
      pending.computeIfPresent(delivery.message().address(), (address, count) -> {
        answered[0] = true;
        return count > 1 ? count - 1 : null;
      });
      if (answered[0]) settled();
      delivery.next();
    });
  }

  /** Completes once no request taken is waiting for its answer. */
  Future<Void> answered() {
    var promise = Promise.<Void>promise();
    idle = promise;
    settled();
    return promise.future();
  }

  private void settled() {
    var waiting = idle;
    if (waiting != null && pending.isEmpty()) waiting.tryComplete();
  }
}
