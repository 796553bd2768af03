package io.vigie.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's counters, each registered once (by name and tag values) and then only incremented: Micrometer's
 * {@code Counter.builder(…).register(…)} looks the meter up and checks it on every call, which costs more than the
 * increment on a per-uplink path. Thread-safe.
 */
public final class Counters {
  private final MeterRegistry meters;
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  public Counters(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Increments counter {@code name} with these tags ({@code key, value, …}), registered at its first use. */
  public void increment(String name, String description, String... tags) {
    var key = new ArrayList<String>(1 + tags.length);
    key.add(name);
    Collections.addAll(key, tags);
    var counter = counters.get(key);
    if (counter == null) {
      counter = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(meters));
    }
    counter.increment();
  }
}
