package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;

/** What a subscriber sees first: the latest stored values of what it subscribed to, from the history store. */
public interface LatestValues {

  /**
   * @param items what pushes of the address carry: stored measurement documents (one per device, newest first) or alerts
   * @param complete false when the store could not tell everything (unreachable, truncated, no store for the kind)
   */
  record Snapshot(JsonArray items, boolean complete) {
    public static Snapshot unavailable() {
      return new Snapshot(new JsonArray(), false);
    }
  }

  /** Only documents stored under one of the principal's scopes, in its tenant; never fails (incomplete instead). */
  Future<Snapshot> of(LiveAddress target, VigiePrincipal principal);
}
