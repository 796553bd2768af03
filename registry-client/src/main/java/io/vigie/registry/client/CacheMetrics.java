package io.vigie.registry.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of one cache (Prometheus {@code vigie_registry_cache_…_total{service,cache}}): {@code hits} (answered
 * without a new registry request: cached, or sharing a request in flight), {@code misses} (registry requests made)
 * and {@code invalidations} (cached answers dropped by {@code registry.changed}).
 */
final class CacheMetrics {
  private final Counter hits;
  private final Counter misses;
  private final Counter invalidations;

  CacheMetrics(MeterRegistry meters, String service, String cache) {
    this.hits = counter(meters, "vigie.registry.cache.hits", "Registry lookups answered without a registry request", service, cache);
    this.misses = counter(meters, "vigie.registry.cache.misses", "Registry lookups that asked the registry", service, cache);
    this.invalidations = counter(meters, "vigie.registry.cache.invalidations",
        "Cached registry answers dropped because the registry changed", service, cache);
  }

  private static Counter counter(MeterRegistry meters, String name, String description, String service, String cache) {
    return Counter.builder(name).description(description).tag("service", service).tag("cache", cache).register(meters);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void invalidated(int entries) {
    if (entries > 0) invalidations.increment(entries);
  }
}
