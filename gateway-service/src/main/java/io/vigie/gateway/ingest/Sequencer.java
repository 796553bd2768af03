package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the asynchronous tasks of one key one after the other, in the order they were given (tasks of different keys
 * run side by side): one device's uplinks reach the ingest log in the order they arrived, whatever the connection
 * pool or a registry lookup in flight would do to them. Thread-safe.
 */
public final class Sequencer<T> {
  private final Map<String, Future<T>> tails = new HashMap<>();

  public synchronized Future<T> run(String key, Supplier<Future<T>> task) {
    var previous = tails.get(key);
    var next = previous == null ? start(task) : previous.transform(done -> start(task));
    tails.put(key, next);
    next.onComplete(done -> forget(key, next));
    return next;
  }

  private synchronized void forget(String key, Future<T> done) {
    tails.remove(key, done);
  }

  private static <T> Future<T> start(Supplier<Future<T>> task) {
    try {
      return task.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
