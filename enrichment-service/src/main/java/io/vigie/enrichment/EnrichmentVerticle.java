package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.bus.StageRequests;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.message.DecodedBatch;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.StoredBatch;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.EnrichmentMetrics.Failure;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.domain.Enrichment;
import io.vigie.enrichment.store.MeasurementStore;
import io.vigie.enrichment.store.StoreResult;
import io.vigie.registry.client.RegistryClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of decoded uplinks ({@code uplink.decoded}, {@code {"uplinks":[DecodedUplink…]}}), end to end: device
 * context with its node's attributes (the one the decoder forwarded, else the {@link RegistryClient}'s), enrichment
 * and derived fields, storage in ONE Elasticsearch bulk ({@code op_type=create} under the uplink id: idempotent),
 * fan-out of the new documents on {@code measurement.published} (as soon as they are stored), ONE request on
 * {@code measurement.stored} to the alert service, then one {@link UplinkFate} per uplink back to the decoder
 * ({@code stored}, {@code codec-error}, {@code duplicate}, in request order). Nothing is answered before the batch is stored and
 * evaluated; a failure answers the whole batch with a status (400, 503) so that the ingest log sends it again.
 */
final class EnrichmentVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EnrichmentVerticle.class);

  private final EnrichmentConfig config;
  private final MeasurementStore store;
  private final EnrichmentMetrics metrics;
  private final RegistryClient registry;
  private DeviceTimeline timeline;
  private StageRequests alerts;

  EnrichmentVerticle(EnrichmentConfig config, MeasurementStore store, EnrichmentMetrics metrics, RegistryClient registry) {
    this.config = config;
    this.registry = registry;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    timeline = new DeviceTimeline(store);
    alerts = new StageRequests(vertx, Addresses.MEASUREMENT_STORED, config.alertTimeoutMs());
    BusCodecs.register(vertx.eventBus());
    var decoded = vertx.eventBus().<Object>consumer(Addresses.UPLINK_DECODED, this::enrich);
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
    return Future.join(alerts.close(), store.close());
  }

  private void enrich(Message<Object> message) {
    List<DecodedUplink> uplinks;
    try {
      uplinks = DecodedBatch.of(message.body()).uplinks();
    } catch (RuntimeException e) {
      metrics.failed(Failure.MALFORMED);
      message.fail(400, "uplink.decoded needs a batch {\"uplinks\":[DecodedUplink…]}: " + e);
      return;
    }
    var fates = new UplinkFate[uplinks.size()];
    var enriched = new Measurement[uplinks.size()];
    var built = new JsonObject[uplinks.size()];
    var measurements = new ArrayList<Measurement>();
    var documents = new ArrayList<JsonObject>();
    var places = new ArrayList<Integer>();
    var enriching = new ArrayList<Future<Void>>();
    for (int i = 0; i < uplinks.size(); i++) {
      int at = i;
      var decoded = uplinks.get(i).measurement();
      enriching.add(context(uplinks.get(i)).transform(found -> {
        if (found.failed()) {
          metrics.failed(Failure.DEVICE);
          if (Errors.toApiException(found.cause()).status() != 404) return Future.failedFuture(found.cause());
          fates[at] = fate(decoded, UplinkStatus.UNKNOWN_DEVICE, "unknown device " + decoded.devEui());
          return Future.succeededFuture();
        }
        var device = found.result();
        var measurement = Enrichment.enrich(decoded, device);
        // the timeline answers a device's uplinks in the order asked: derived fields follow the batch order
        return timeline.derive(measurement).map(derived -> {
          enriched[at] = measurement;
          built[at] = Enrichment.document(measurement, device, device.nodeAttributes(), derived);
          return null;
        });
      }));
    }
    Future.all(enriching)
        .map(v -> {
          for (int i = 0; i < enriched.length; i++) {
            if (enriched[i] == null) continue;
            places.add(i);
            measurements.add(enriched[i]);
            documents.add(built[i]);
          }
          return v;
        })
        .compose(v -> store.storeAll(measurements, documents).onFailure(this::notStored))
        .onSuccess(stored -> publish(stored, documents, measurements))
        .compose(stored -> evaluate(new StoredBatch(documents, measurements)).map(stored))
        .onSuccess(stored -> {
          for (int k = 0; k < stored.size(); k++) {
            fates[places.get(k)] = stored(measurements.get(k), stored.get(k).duplicate());
          }
          message.reply(new FateBatch(Arrays.asList(fates)));
        })
        .onFailure(e -> BusReplies.fail(message, e));
  }

  /**
   * Fans the newly stored documents out on {@code measurement.published} as soon as Elasticsearch took them, not once
   * the alert service answered: live pages see a reading one alert round trip sooner, and a batch whose evaluation
   * fails is still pushed once (its re-delivery is a duplicate, which is never published).
   */
  private void publish(List<StoreResult> stored, List<JsonObject> documents, List<Measurement> measurements) {
    var published = new ArrayList<JsonObject>();
    var publishedMeasurements = new ArrayList<Measurement>();
    for (int k = 0; k < stored.size(); k++) {
      var duplicate = stored.get(k).duplicate();
      metrics.stored(duplicate);
      if (duplicate) continue;
      published.add(documents.get(k));
      publishedMeasurements.add(measurements.get(k));
    }
    if (!published.isEmpty()) {
      vertx.eventBus().publish(Addresses.MEASUREMENT_PUBLISHED, new StoredBatch(published, publishedMeasurements));
    }
  }

  /** The decoder resolved the device a moment ago: asking the registry again would only cost a round trip. */
  private Future<DeviceContext> context(DecodedUplink uplink) {
    var forwarded = uplink.context();
    return forwarded != null && forwarded.devEui().equals(uplink.measurement().devEui())
        ? Future.succeededFuture(forwarded) : registry.device(uplink.measurement().devEui());
  }

  private void notStored(Throwable e) {
    metrics.failed(Failure.STORE);
    if (e instanceof ApiException api && api.status() == 503) {
      // an outage: readiness and vigie_enrichment_bulk_pending show it, the writer logs it once
      LOG.debug("batch not stored yet: {}", e.getMessage());
    } else {
      LOG.warn("batch not stored: {}", e.getMessage());
    }
  }

  /** ONE request to the alert service for the batch, duplicates included (it skips counters it has seen). */
  private Future<Void> evaluate(StoredBatch batch) {
    var documents = batch.documents();
    if (documents.isEmpty()) return Future.succeededFuture();
    return alerts.request(batch)
        .<Void>mapEmpty()
        .recover(e -> {
          metrics.failed(Failure.ALERT);
          LOG.warn("{} measurements stored but not evaluated by the alert service: {}", documents.size(), e.getMessage());
          return Future.failedFuture(ApiException.unavailable(documents.size()
              + " measurements are stored but the alert service did not evaluate them: " + e.getMessage()));
        });
  }

  /** {@code stored}, {@code codec-error} (stored, with the codec's message) or {@code duplicate}. */
  private static UplinkFate stored(Measurement measurement, boolean duplicate) {
    if (duplicate) return fate(measurement, UplinkStatus.DUPLICATE, "stored before: a re-delivery");
    if (!measurement.errors().isEmpty()) return fate(measurement, UplinkStatus.CODEC_ERROR, String.join("; ", measurement.errors()));
    return fate(measurement, UplinkStatus.STORED, null);
  }

  private static UplinkFate fate(Measurement m, UplinkStatus status, String reason) {
    return new UplinkFate(m.id(), m.devEui(), m.fCnt(), m.receivedAt(), m.source(), status, reason,
        status == UplinkStatus.DUPLICATE ? List.of() : m.measurements());
  }
}
