package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.domain.DerivedFields;
import io.vigie.enrichment.store.MeasurementStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last uplink of each device, in memory, for {@link DerivedFields}. The first time a device shows up after a
 * start, its latest stored document seeds it (a restart does not lose the gap), within {@value #SEED_TIMEOUT_MS} ms;
 * if Elasticsearch cannot say, the uplink simply gets no derived fields.
 *
 * <p>One instance sees the uplinks it handles: with several enrichment instances on a cluster the bus spreads a
 * device's uplinks over them, and each instance's gap then counts the frames other instances stored as lost. Run one
 * instance, or read {@code fCntGap} as an upper bound.
 *
 * <p>Not thread-safe: used from the enrichment verticle's context only.
 */
final class DeviceTimeline {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceTimeline.class);
  /** Devices remembered (least recently heard first out). */
  static final int MAX_ENTRIES = 100_000;
  static final long SEED_TIMEOUT_MS = 2000;

  private final MeasurementStore store;
  private final Map<String, DerivedFields.Last> last = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DerivedFields.Last> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private final Map<String, Future<Void>> seeding = new HashMap<>();

  DeviceTimeline(MeasurementStore store) {
    this.store = store;
  }

  /** The derived fields of an enriched measurement ({@code {}} when nothing can be derived). */
  Future<JsonObject> derive(Measurement measurement) {
    var devEui = measurement.devEui();
    if (last.containsKey(devEui)) return Future.succeededFuture(next(measurement));
    return seed(measurement.tenant(), devEui).map(v -> next(measurement));
  }

  private JsonObject next(Measurement measurement) {
    var outcome = DerivedFields.next(last.get(measurement.devEui()), measurement.fCnt(), measurement.receivedAt());
    last.put(measurement.devEui(), outcome.last());
    return outcome.derived();
  }

  private Future<Void> seed(String tenant, String devEui) {
    var running = seeding.get(devEui);
    if (running != null) return running;
    Future<Void> seeded = store.last(tenant, devEui)
        .timeout(SEED_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise(e -> {
          LOG.debug("no previous uplink of {} from Elasticsearch: {}", devEui, e.getMessage());
          return Optional.empty();
        })
        .map(found -> {
          found.ifPresent(previous -> last.putIfAbsent(devEui, previous));
          return (Void) null;
        })
        .andThen(done -> seeding.remove(devEui));
    if (!seeded.isComplete()) seeding.put(devEui, seeded);
    return seeded;
  }
}
