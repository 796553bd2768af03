package io.vigie.realtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.message.StoredBatch;
import io.vigie.realtime.api.LiveHub;
import io.vigie.realtime.domain.Fanout;
import io.vigie.registry.client.RegistryClient;
import java.util.List;

/**
 * Feeds the live sockets: every published measurement and alert change goes to the {@link LiveHub} of this
 * instance, under each client-facing address it concerns. In a cluster each realtime instance thus feeds only its
 * own sockets, and nothing is delivered twice.
 */
final class RealtimeVerticle extends VerticleBase {
  private final MeterRegistry meters;
  private final RegistryClient registry;
  private final LiveHub hub;
  private final Runnable onRegistryChanged;

  /** @param onRegistryChanged drops the subscription decisions (the registry client drops its own answers) */
  RealtimeVerticle(MeterRegistry meters, RegistryClient registry, LiveHub hub, Runnable onRegistryChanged) {
    this.meters = meters;
    this.registry = registry;
    this.hub = hub;
    this.onRegistryChanged = onRegistryChanged;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    BusCodecs.register(bus);
    var measurements = bus.<Object>consumer(Addresses.MEASUREMENT_PUBLISHED, message -> {
      for (var document : StoredBatch.of(message.body()).documents()) {
        fanOut("measurement", Fanout.measurementAddresses(document), document);
      }
    });
    var alerts = bus.<JsonObject>consumer(Addresses.ALERT_CHANGED,
        message -> fanOut("alert", Fanout.alertAddresses(message.body()), message.body()));
    var changes = bus.<JsonObject>consumer(Addresses.REGISTRY_CHANGED, message -> onRegistryChanged.run());
    return Future.all(measurements.completion(), alerts.completion(), changes.completion(), registry.listen());
  }

  private void fanOut(String kind, List<String> addresses, JsonObject body) {
    if (body == null) return;
    addresses.forEach(address -> hub.publish(address, body));
    meters.counter("vigie.realtime.events", "kind", kind).increment();
  }
}
