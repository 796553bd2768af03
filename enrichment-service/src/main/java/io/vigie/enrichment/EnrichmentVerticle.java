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
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.EnrichmentMetrics.Failure;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.domain.Enrichment;
import io.vigie.enrichment.store.MeasurementStore;
import io.vigie.enrichment.store.StoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decoded uplink, end to end: device context and node attributes (cached), enrichment and derived
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
  private DeviceDirectory devices;
  private DeviceTimeline timeline;
  private DeliveryOptions alertRequest;

  EnrichmentVerticle(EnrichmentConfig config, MeasurementStore store, EnrichmentMetrics metrics) {
    this.config = config;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    devices = new DeviceDirectory(vertx.eventBus(), config.requestTimeoutMs());
    timeline = new DeviceTimeline(store);
    alertRequest = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    var changes = vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED, change -> devices.changed(change.body()));
    var decoded = vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_DECODED, this::enrich);
    return Future.all(changes.completion(), decoded.completion(), prepareStore())
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
    Measurement decoded;
    try {
      decoded = Measurement.fromJson(message.body());
    } catch (RuntimeException e) {
      metrics.failed(Failure.MALFORMED);
      message.fail(400, "malformed decoded measurement: " + e);
      return;
    }
    devices.lookup(decoded.devEui())
        .compose(device -> devices.attributes(device.tenant(), device.nodeId())
            .map(attributes -> new Known(device, attributes)))
        .onFailure(e -> metrics.failed(Failure.DEVICE))
        .compose(known -> {
          var measurement = Enrichment.enrich(decoded, known.device());
          return timeline.derive(measurement).compose(derived ->
              storeAndEvaluate(measurement, Enrichment.document(measurement, known.device(), known.attributes(), derived)));
        })
        .onSuccess(ack -> message.reply(ack.toJson()))
        .onFailure(e -> BusReplies.fail(message, e));
  }

  /** What the registry says of the device and of its node. */
  private record Known(DeviceContext device, JsonObject attributes) {}

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
