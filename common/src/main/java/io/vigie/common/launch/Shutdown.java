package io.vigie.common.launch;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful stop of a launched set of services (SIGTERM, Ctrl-C, {@link ServiceLauncher.Running#stop()}): from
 * {@link #begin()} on, readiness answers 503 and every request but the health probes and the metrics gets 503 with
 * {@code Retry-After}; then each service's drain steps run (its adapters stop taking work, its in-flight batches
 * finish, its leases are released), all at once and each bounded by the grace period; only then does Vert.x close
 * (and leave the Hazelcast cluster).
 */
public final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private record Step(String service, String what, Supplier<Future<?>> drain) {}

  private final List<Step> steps = new CopyOnWriteArrayList<>();
  private volatile boolean draining;
  private Future<Void> stopped;

  /** True from the moment the stop began: readiness is 503 and no new work is taken. */
  public boolean draining() {
    return draining;
  }

  void register(String service, String what, Supplier<Future<?>> drain) {
    steps.add(new Step(service, what, drain));
  }

  /** Runs {@code stop} the first time only; every call answers the same future. */
  synchronized Future<Void> once(java.util.function.Supplier<Future<Void>> stop) {
    if (stopped == null) stopped = stop.get();
    return stopped;
  }

  /** Marks the services as stopping (idempotent). */
  void begin() {
    if (!draining) LOG.info("stopping: readiness now answers 503, new work is refused");
    draining = true;
  }

  /** Runs every drain step; completes when all finished, failed or ran out of {@code grace}. Never fails. */
  Future<Void> drain(io.vertx.core.Vertx vertx, Duration grace) {
    var running = steps.stream().map(step -> {
      Future<?> drained;
      try {
        drained = step.drain().get();
      } catch (RuntimeException e) {
        drained = Future.failedFuture(e);
      }
      var bounded = io.vertx.core.Promise.<Object>promise();
      var timer = vertx.setTimer(grace.toMillis(), id -> bounded.tryFail("still busy after " + grace.toSeconds() + " s"));
      drained.onComplete(done -> {
        vertx.cancelTimer(timer);
        if (done.succeeded()) bounded.tryComplete(); else bounded.tryFail(done.cause());
      });
      return bounded.future()
          .onSuccess(done -> LOG.info("{}: {}", step.service(), step.what()))
          .onFailure(e -> LOG.warn("{}: could not {}: {}", step.service(), step.what(), e.getMessage()))
          .otherwiseEmpty();
    }).toList();
    return Future.join(running).mapEmpty().otherwiseEmpty().mapEmpty();
  }
}
