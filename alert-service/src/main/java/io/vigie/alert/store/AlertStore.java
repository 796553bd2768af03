package io.vigie.alert.store;

import io.vertx.core.Future;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alert state and history, and the per-device counter that makes evaluation idempotent. */
public interface AlertStore {

  /** What an evaluation needs to know about a device before deciding. */
  record DeviceState(long lastEvaluatedFCnt, Map<String, Alert> currentByRule) {
    /** No counter evaluated yet for this device. */
    public static final long NONE = -1;
  }

  /** How a commit ended. */
  enum CommitOutcome {
    /** State and counter saved together. */
    COMMITTED,
    /** This counter (or a newer one) was already evaluated: nothing saved. */
    ALREADY_EVALUATED,
    /** Another evaluation of the device committed since {@link #load}: load again and retry. */
    CONFLICT
  }

  /** The last evaluated counter of the device and its current (not cleared) alerts for these rules. */
  Future<DeviceState> load(String devEui, List<String> ruleIds);

  /**
   * Saves the changes and moves the device's counter to {@code fCnt}, atomically, only if the
   * counter is still {@code expectedLastFCnt} (optimistic concurrency: the counter is the version).
   */
  Future<CommitOutcome> commit(String devEui, long expectedLastFCnt, long fCnt, List<AlertChange> changes);

  Future<Optional<Alert>> get(String id);

  /** Every alert of a tenant, most recently started first. */
  Future<List<Alert>> listByTenant(String tenant);

  Future<Void> ping();

  Future<Void> close();
}
