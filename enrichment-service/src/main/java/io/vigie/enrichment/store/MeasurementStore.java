package io.vigie.enrichment.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.domain.DerivedFields;
import java.util.List;
import java.util.Optional;

/**
 * The history store of enriched measurements. Writing is idempotent: a measurement is stored
 * once under its id ({@code devEui-fCnt}), a second write of the same id is reported as a
 * duplicate and changes nothing.
 *
 * <p>Failures are {@link io.vigie.common.http.ApiException}s: 503 when the store is unreachable or
 * overloaded (worth retrying), 500 when it refuses the document.
 */
public interface MeasurementStore {

  /** Prepares the store (index template); may be called again after a failure. */
  Future<Void> start();

  /**
   * Stores enriched measurements (each with its tenant) as their documents, in one bulk request; succeeds only once
   * Elasticsearch has accepted every one, with one result per measurement, in order.
   */
  Future<List<StoreResult>> storeAll(List<Measurement> measurements, List<JsonObject> documents);

  /** The device's most recent stored uplink (by reception time) and what was derived for it; empty when none. */
  Future<Optional<DerivedFields.Last>> last(String tenant, String devEui);

  /** Succeeds when the store can take writes: what the readiness check asks. */
  Future<Void> ready();

  /** Forgets that an index exists (retention deleted it): the next write to it creates it again with its alias. */
  void forget(String index);

  Future<Void> close();
}
