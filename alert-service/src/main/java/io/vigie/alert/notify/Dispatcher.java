package io.vigie.alert.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vigie.alert.config.NotifyConfig;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Delivery;
import io.vigie.alert.notify.domain.Transition;
import io.vigie.alert.notify.store.DeliveryLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications, each channel on its own: at most {@code concurrency} in flight and {@code queue} waiting per
 * channel and instance (beyond: given up at once, recorded), retried with exponential backoff ({@code backoffMs},
 * doubled each time) up to {@code maxAttempts}, every attempt recorded in the channel's deliveries. A slow or failing
 * channel only delays itself: nothing here waits for another channel or for the evaluation.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Vertx vertx;
  private final NotifyConfig config;
  private final Map<Channel.Kind, Sender> senders;
  private final DeliveryLog log;
  private final MeterRegistry meters;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  /** One channel's notifications in this instance. */
  private static final class Lane {
    int running;
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  }

  Dispatcher(Vertx vertx, NotifyConfig config, Map<Channel.Kind, Sender> senders, DeliveryLog log, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.senders = Map.copyOf(senders);
    this.log = log;
    this.meters = meters;
    meters.gauge("vigie.notify.queued", waiting);
  }

  /** Completes (never fails) once the notification is delivered or given up. */
  Future<Void> send(Channel channel, Transition transition, String deliveryId) {
    var done = Promise.<Void>promise();
    Runnable job = () -> deliver(channel, transition, deliveryId, 1).onComplete(v -> {
      done.complete();
      next(channel);
    });
    synchronized (lanes) {
      var lane = lanes.computeIfAbsent(channel.tenant() + ":" + channel.id(), k -> new Lane());
      if (lane.running < config.concurrency()) {
        lane.running++;
      } else if (lane.queue.size() < config.queue()) {
        lane.queue.add(job);
        waiting.incrementAndGet();
        return done.future();
      } else {
        job = null;
      }
    }
    if (job == null) return dropped(channel, transition);
    job.run();
    return done.future();
  }

  /** One attempt, recorded, not retried: the "send a test" button. */
  Future<Attempt> once(Channel channel, Transition transition, String deliveryId) {
    return attempt(channel, transition, deliveryId, 1, true);
  }

  private void next(Channel channel) {
    Runnable job;
    synchronized (lanes) {
      var key = channel.tenant() + ":" + channel.id();
      var lane = lanes.get(key);
      job = lane.queue.poll();
      if (job == null) {
        if (--lane.running == 0) lanes.remove(key);
        return;
      }
      waiting.decrementAndGet();
    }
    job.run();
  }

  private Future<Void> deliver(Channel channel, Transition transition, String deliveryId, int attempt) {
    return attempt(channel, transition, deliveryId, attempt, false).compose(result -> {
      if (result.ok() || !result.retryable() || attempt >= config.maxAttempts()) return Future.succeededFuture();
      long wait = config.backoffMs() << Math.min(attempt - 1, 20);
      return vertx.timer(Math.max(1, wait)).compose(v -> deliver(channel, transition, deliveryId, attempt + 1));
    });
  }

  private Future<Attempt> attempt(Channel channel, Transition transition, String deliveryId, int attempt, boolean last) {
    var at = Instant.now();
    long start = System.nanoTime();
    return senders.get(channel.kind()).send(channel, transition, deliveryId).compose(result -> {
      var finalAttempt = last || result.ok() || !result.retryable() || attempt >= config.maxAttempts();
      var outcome = result.ok() ? "delivered" : finalAttempt ? "failed" : "retrying";
      long durationMs = (System.nanoTime() - start) / 1_000_000;
      meters.counter("vigie.notify.deliveries", "kind", channel.kind().wire(), "outcome", outcome).increment();
      if (!result.ok()) {
        LOG.info("{} of alert {} ({}), attempt {}: {} ({})", channel, transition.alertId(), transition.kind(), attempt,
            result.error(), outcome);
      }
      return record(channel, new Delivery(at, transition.kind(), transition.alertId(), transition.devEui(), attempt,
          outcome, result.status(), result.error(), durationMs)).map(result);
    });
  }

  private Future<Void> dropped(Channel channel, Transition transition) {
    meters.counter("vigie.notify.deliveries", "kind", channel.kind().wire(), "outcome", "dropped").increment();
    LOG.warn("{}: {} notifications already waiting, alert {} ({}) given up", channel, config.queue(),
        transition.alertId(), transition.kind());
    return record(channel, new Delivery(Instant.now(), transition.kind(), transition.alertId(), transition.devEui(), 0,
        "failed", null, "queue full: " + config.queue() + " notifications of this channel already waiting", 0));
  }

  private Future<Void> record(Channel channel, Delivery delivery) {
    return log.record(channel.tenant(), channel.id(), delivery).recover(e -> {
      LOG.warn("{}: delivery not recorded ({})", channel, e.getMessage());
      return Future.succeededFuture();
    });
  }
}
