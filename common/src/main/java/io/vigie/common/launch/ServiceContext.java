package io.vigie.common.launch;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;

/** What the launcher gives every service: where to register readiness checks and meters. */
public final class ServiceContext {
  private final String service;
  private final HealthChecks readiness;
  private final MeterRegistry meters;
  private final Shutdown shutdown;

  public ServiceContext(String service, HealthChecks readiness, MeterRegistry meters) {
    this(service, readiness, meters, new Shutdown());
  }

  ServiceContext(String service, HealthChecks readiness, MeterRegistry meters, Shutdown shutdown) {
    this.service = service;
    this.readiness = readiness;
    this.meters = meters;
    this.shutdown = shutdown;
  }

  /**
   * A step of the graceful stop (SIGTERM): run after readiness went 503 and new requests are refused, before Vert.x
   * closes; it stops the service's own intake (adapters, bus consumers), lets its in-flight work finish and releases
   * what it holds. {@code what} says what it did, for the log ("in-flight batches finished").
   */
  public void onShutdown(String what, Supplier<Future<?>> drain) {
    shutdown.register(service, what, drain);
  }

  /** True once the graceful stop began: take no new work. */
  public boolean stopping() {
    return shutdown.draining();
  }

  public MeterRegistry meters() {
    return meters;
  }

  /**
   * Registers a readiness check {@code <service>/<name>}: the dependency is ready when the future
   * succeeds within 2 s.
   */
  public void readinessCheck(String name, Supplier<Future<?>> probe) {
    readiness.register(service + "/" + name, 2000, (Promise<Status> promise) -> {
      Future<?> probed;
      try {
        probed = probe.get();
      } catch (RuntimeException e) {
        probed = Future.failedFuture(e);
      }
      probed.onSuccess(ignored -> promise.tryComplete(Status.OK()))
          .onFailure(e -> promise.tryComplete(Status.KO(new io.vertx.core.json.JsonObject()
              .put("reason", String.valueOf(e.getMessage())))));
    });
  }
}
