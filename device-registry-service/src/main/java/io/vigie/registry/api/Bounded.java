package io.vigie.registry.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Runs asynchronous work over a list with at most {@code width} items in flight, keeping the list's order. */
final class Bounded {
  private Bounded() {}

  /** {@code work} must not fail: it maps its failures into a result. */
  static <T, R> Future<List<R>> map(Context context, List<T> items, int width, Function<T, Future<R>> work) {
    if (items.isEmpty()) return Future.succeededFuture(List.of());
    var results = new ArrayList<R>(Collections.nCopies(items.size(), null));
    var promise = Promise.<List<R>>promise();
    var state = new int[] {0, 0}; // next to start, done
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int index = state[0]++;
      if (index >= items.size()) return;
      // every step runs on the one context: no shared state across threads, and no recursion (a synchronous
      // answer would otherwise deepen the stack with every item)
      work.apply(items.get(index)).onComplete(result -> context.runOnContext(v -> {
        results.set(index, result.result());
        if (++state[1] == items.size()) {
          promise.complete(results);
        } else {
          pump[0].run();
        }
      }));
    };
    context.runOnContext(v -> {
      for (int k = 0; k < Math.min(width, items.size()); k++) pump[0].run();
    });
    return promise.future();
  }
}
