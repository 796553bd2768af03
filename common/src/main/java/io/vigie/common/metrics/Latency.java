package io.vigie.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Timers of the pipeline's waits and stages, all with the same histogram buckets (5 ms to 30 s, Prometheus
 * {@code _bucket{le=…}} series), so that dashboards read every stage's latency the same way and a percentile can be
 * worked out across instances ({@code histogram_quantile}).
 */
public final class Latency {
  private static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private Latency() {}

  public static Timer timer(MeterRegistry meters, String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS).register(meters);
  }
}
