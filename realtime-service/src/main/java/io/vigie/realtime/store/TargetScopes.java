package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vigie.realtime.domain.LiveAddress;
import io.vigie.registry.client.Scope;

/** Where a live address sits in the hierarchy, so that access can be decided on it. */
public interface TargetScopes {

  /** The target does not exist (for this tenant). */
  final class UnknownTarget extends RuntimeException {
    public UnknownTarget(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The scope of a target; fails with {@link UnknownTarget} when the registry does not know it,
   * with any other failure when the registry cannot be asked.
   *
   * @param tenant the caller's tenant (a node id is looked up within it)
   */
  Future<Scope> scopeOf(LiveAddress target, String tenant);
}
