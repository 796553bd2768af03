package io.vigie.enrichment.store;

import io.vertx.core.Future;
import io.vigie.common.message.Measurement;

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

  /** Stores an enriched measurement (it must carry its tenant). */
  Future<StoreResult> store(Measurement measurement);

  /** Succeeds when the store can take writes: what the readiness check asks. */
  Future<Void> ready();

  Future<Void> close();
}
