package io.vigie.decoder.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A small bounded cache: least recently used entries go first when full, and each entry expires
 * after its own time to live. Not thread-safe: one owner (a verticle's event loop) uses it.
 */
public final class TtlCache<K, V> {
  private record Entry<V>(V value, long expiresAtNanos) {}

  private final LongSupplier nanoClock;
  private final LinkedHashMap<K, Entry<V>> entries;

  public TtlCache(int maxSize, LongSupplier nanoClock) {
    if (maxSize < 1) throw new IllegalArgumentException("cache size must be at least 1, got " + maxSize);
    this.nanoClock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > maxSize;
      }
    };
  }

  /** The live value, or null when absent or expired. */
  public V get(K key) {
    var entry = entries.get(key);
    if (entry == null) return null;
    if (nanoClock.getAsLong() - entry.expiresAtNanos() >= 0) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  public void put(K key, V value, long ttlMillis) {
    entries.put(key, new Entry<>(value, nanoClock.getAsLong() + ttlMillis * 1_000_000L));
  }

  public void remove(K key) {
    entries.remove(key);
  }

  public void clear() {
    entries.clear();
  }

  public int size() {
    return entries.size();
  }
}
