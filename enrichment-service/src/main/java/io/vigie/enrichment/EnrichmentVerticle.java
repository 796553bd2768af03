package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Ack;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.EnrichmentMetrics.Failure;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.domain.Enrichment;
import io.vigie.enrichment.store.MeasurementStore;
import io.vigie.enrichment.store.StoreResult;
import io.vigie.registry.client.RegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decoded uplink, end to end: device context with its node's attributes (the one the decoder forwarded, else
 * the {@link RegistryClient}'s), enrichment and derived
 * fields, storage (idempotent, in bulk), evaluation by the alert service, fan-out to realtime, then the
 * {@link Ack} back to the decoder.
 * Nothing is acknowledged before the measurement is stored and evaluated; every failure answers
 * the decoder with a status (400, 404, 503) so that upstream retries or gives up.
 */
final class EnrichmentVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EnrichmentVerticle.class);

  private final EnrichmentConfig config;
  private final MeasurementStore store;
  private final EnrichmentMetrics metrics;
  private final RegistryClient registry;
  private DeviceTimeline timeline;
  private DeliveryOptions alertRequest;

  EnrichmentVerticle(EnrichmentConfig config, MeasurementStore store, EnrichmentMetrics metrics, RegistryClient registry) {
    this.config = config;
    this.registry = registry;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    timeline = new DeviceTimeline(store);
    alertRequest = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    var decoded = vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_DECODED, this::enrich);
    return Future.all(registry.listen(), decoded.completion(), prepareStore())
        .recover(e -> store.close().transform(closed -> Future.failedFuture(e)));
  }

  /**
   * Installs the index template. Elasticsearch being down does not stop the service (it is not
   * ready, and retries on the next write or readiness probe); Elasticsearch refusing the template
   * does, since nothing could be stored right.
   */
  private Future<Void> prepareStore() {
    return store.start().recover(e -> {
      if (e instanceof ApiException api && api.status() == 503) {
        LOG.warn("Elasticsearch not available at start, will retry on first use: {}", e.getMessage());
        return Future.succeededFuture();
      }
      return Future.failedFuture(e);
    });
  }

  @Override
  public Future<?> stop() {
    return store.close();
  }

  private void enrich(Message<JsonObject> message) {
    DecodedUplink uplink;
    try {
      uplink = DecodedUplink.fromJson(message.body());
    } catch (RuntimeException e) {
      metrics.failed(Failure.MALFORMED);
      message.fail(400, "malformed decoded measurement: " + e);
      return;
    }
    var decoded = uplink.measurement();
    // the decoder resolved the device a moment ago: asking the registry again would only cost a round trip
    Future<DeviceContext> context = uplink.context() != null && uplink.context().devEui().equals(decoded.devEui())
        ? Future.succeededFuture(uplink.context()) : registry.device(decoded.devEui());
    context
        .onFailure(e -> metrics.failed(Failure.DEVICE))
        .compose(device -> {
          var measurement = Enrichment.enrich(decoded, device);
          return timeline.derive(measurement).compose(derived ->
              storeAndEvaluate(measurement, Enrichment.document(measurement, device, device.nodeAttributes(), derived)));
        })
        .onSuccess(ack -> message.reply(ack.toJson()))
        .onFailure(e -> BusReplies.fail(message, e));
  }

  private Future<Ack> storeAndEvaluate(Measurement measurement, JsonObject json) {
    return store.store(measurement, json)
        .onSuccess(stored -> metrics.stored(stored.duplicate()))
        .onFailure(e -> {
          metrics.failed(Failure.STORE);
          if (e instanceof ApiException api && api.status() == 503) {
            // an outage: readiness and vigie_enrichment_bulk_pending show it, the writer logs it once
            LOG.debug("measurement {} of {} not stored yet: {}", measurement.id(), measurement.devEui(), e.getMessage());
          } else {
            LOG.warn("measurement {} of {} not stored: {}", measurement.id(), measurement.devEui(), e.getMessage());
          }
        })
        .compose(stored -> evaluate(stored, json))
        .map(stored -> {
          if (!stored.duplicate()) vertx.eventBus().publish(Addresses.MEASUREMENT_PUBLISHED, json);
          LOG.debug("measurement {} {} in {}", stored.id(), stored.duplicate() ? "was already stored" : "stored", stored.index());
          return new Ack(stored.id(), stored.duplicate());
        });
  }

  /** Asks the alert service to evaluate the measurement, duplicates included (it skips counters it has seen). */
  private Future<StoreResult> evaluate(StoreResult stored, JsonObject json) {
    return vertx.eventBus().request(Addresses.MEASUREMENT_STORED, json, alertRequest)
        .map(reply -> stored)
        .recover(e -> {
          metrics.failed(Failure.ALERT);
          LOG.warn("measurement {} stored but not evaluated by the alert service: {}", stored.id(), e.getMessage());
          return Future.failedFuture(ApiException.unavailable("measurement " + stored.id()
              + " is stored but the alert service did not evaluate it: " + e.getMessage()));
        });
  }
}
