package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vigie.common.http.ApiException;
import java.util.function.Supplier;

/**
 * Optimistic concurrency for writes: access is decided on what was read, the store's script checks that it
 * still holds and otherwise answers CHANGED; the whole operation (read, decide, write) then runs again.
 */
final class Attempts {
  private static final int MAX = 3;

  /** Thrown by an attempt whose write answered CHANGED. */
  static final class Changed extends RuntimeException {
    Changed() {
      super("changed concurrently", null, false, false);
    }
  }

  private Attempts() {}

  static <T> Future<T> retrying(Supplier<Future<T>> attempt) {
    return attempt(attempt, 1);
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> attempt, int n) {
    return attempt.get().recover(failure -> {
      if (!(failure instanceof Changed)) return Future.failedFuture(failure);
      if (n >= MAX) {
        return Future.failedFuture(ApiException.conflict("it was changed by other requests while this one ran; retry"));
      }
      return attempt(attempt, n + 1);
    });
  }
}
