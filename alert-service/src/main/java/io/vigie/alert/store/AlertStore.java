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

  /** One device's evaluations to save: see {@link #commit}. */
  record Commit(String devEui, long expectedLastFCnt, long fCnt, List<AlertChange> changes) {}

  /** The last evaluated counter of each device and its current (not cleared) alerts for these rules: one round trip. */
  Future<List<DeviceState>> loadAll(List<String> devEuis, List<String> ruleIds);

  /** {@link #commit} of several devices in one round trip; one outcome per commit, in order. */
  Future<List<CommitOutcome>> commitAll(List<Commit> commits);

  /** The last evaluated counter of the device and its current (not cleared) alerts for these rules. */
  default Future<DeviceState> load(String devEui, List<String> ruleIds) {
    return loadAll(List.of(devEui), ruleIds).map(all -> all.get(0));
  }

  /**
   * Saves the changes and moves the device's counter to {@code fCnt}, atomically, only if the
   * counter is still {@code expectedLastFCnt} (optimistic concurrency: the counter is the version).
   */
  default Future<CommitOutcome> commit(String devEui, long expectedLastFCnt, long fCnt, List<AlertChange> changes) {
    return commitAll(List.of(new Commit(devEui, expectedLastFCnt, fCnt, changes))).map(all -> all.get(0));
  }

  Future<Optional<Alert>> get(String id);

  /** Every alert of a tenant, most recently started first. */
  Future<List<Alert>> listByTenant(String tenant);

  Future<Void> ping();

  Future<Void> close();
}
