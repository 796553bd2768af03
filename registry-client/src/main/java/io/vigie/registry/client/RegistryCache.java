package io.vigie.registry.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The registry's answers for one kind of lookup, by key: bounded (least recently used first out), each answer
 * trusted for its time to live, "unknown" (a {@code null} answer) remembered for a shorter one. Concurrent lookups
 * of one key share one request; a lookup that was in flight during an invalidation is used by its callers but not
 * kept (it may predate the change). A failed lookup is not kept.
 *
 * <p>Plain Java on a clock the caller gives; synchronized, so one cache may serve several event loops.
 *
 * @param <V> the answer; {@code null} means "the registry does not know it"
 */
final class RegistryCache<K, V> {
  private record Entry<V>(V value, long expiresAtNanos) {}

  private final LongSupplier nanoClock;
  private final long knownTtlNanos;
  private final long unknownTtlNanos;
  private final CacheMetrics metrics;
  private final LinkedHashMap<K, Entry<V>> entries;
  private final Map<K, Future<V>> pending = new HashMap<>();
  private long generation;

  RegistryCache(int maxSize, long knownTtlMs, long unknownTtlMs, LongSupplier nanoClock, CacheMetrics metrics) {
    if (maxSize < 1) throw new IllegalArgumentException("cache size must be at least 1, got " + maxSize);
    this.nanoClock = nanoClock;
    this.knownTtlNanos = knownTtlMs * 1_000_000L;
    this.unknownTtlNanos = unknownTtlMs * 1_000_000L;
    this.metrics = metrics;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > maxSize;
      }
    };
  }

  /** The cached answer, the answer of the lookup in flight, or that of a new lookup by {@code loader}. */
  synchronized Future<V> get(K key, Supplier<Future<V>> loader) {
    var entry = entries.get(key);
    if (entry != null) {
      if (nanoClock.getAsLong() - entry.expiresAtNanos() < 0) {
        metrics.hit();
        return Future.succeededFuture(entry.value());
      }
      entries.remove(key);
    }
    var inFlight = pending.get(key);
    if (inFlight != null) {
      metrics.hit();
      return inFlight;
    }
    metrics.miss();
    var startedAt = generation;
    Promise<V> result = Promise.promise();
    var future = result.future();
    pending.put(key, future);
    Future<V> asked;
    try {
      asked = loader.get();
    } catch (RuntimeException e) {
      asked = Future.failedFuture(e);
    }
    asked.onComplete(done -> {
      synchronized (this) {
        pending.remove(key, future);
        // an answer that was on its way during an invalidation may predate the change: not kept
        if (done.succeeded() && startedAt == generation) {
          var value = done.result();
          entries.put(key, new Entry<>(value, nanoClock.getAsLong() + (value != null ? knownTtlNanos : unknownTtlNanos)));
        }
      }
      result.handle(done);
    });
    return future;
  }

  /** Drops the answers {@code which} selects (its value is null for "unknown"); returns how many. */
  synchronized int invalidate(BiPredicate<K, V> which) {
    generation++;
    pending.clear();
    var dropped = 0;
    for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (which.test(entry.getKey(), entry.getValue().value())) {
        it.remove();
        dropped++;
      }
    }
    metrics.invalidated(dropped);
    return dropped;
  }

  /** Drops the answer for one key. */
  int invalidate(K key) {
    return invalidate((k, v) -> k.equals(key));
  }

  /** Drops everything. */
  int clear() {
    return invalidate((k, v) -> true);
  }

  synchronized int size() {
    return entries.size();
  }
}
