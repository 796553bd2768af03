package io.vigie.simulator;

import java.util.Arrays;

/**
 * Latency percentiles from sorted windows (no histogram library): the samples since the last progress line, and a
 * ring of the last {@link #KEPT} samples for the summary. Thread-safe.
 */
public final class Latencies {
  /** Samples kept for the summary; a longer run's summary covers its last {@code KEPT} acknowledgements. */
  public static final int KEPT = 200_000;

  /** Percentiles in milliseconds over {@code count} samples (all zero when there are none). */
  public record Percentiles(long count, double p50, double p95, double p99, double max) {
    static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

    public String format() {
      if (count == 0) return "latency -";
      return String.format(java.util.Locale.ROOT, "latency p50 %s p95 %s p99 %s ms", ms(p50), ms(p95), ms(p99));
    }

    private static String ms(double value) {
      return value < 10 ? String.format(java.util.Locale.ROOT, "%.1f", value) : String.format(java.util.Locale.ROOT, "%.0f", value);
    }
  }

  private long[] recent = new long[1024];
  private int recentCount;
  private final long[] kept = new long[KEPT];
  private long total;

  /** Records one latency in nanoseconds. */
  public synchronized void record(long nanos) {
    if (recentCount == recent.length) recent = Arrays.copyOf(recent, recent.length * 2);
    recent[recentCount++] = nanos;
    kept[(int) (total++ % KEPT)] = nanos;
  }

  /** The percentiles of the samples recorded since the previous call, which forgets them. */
  public synchronized Percentiles sinceLast() {
    var result = percentiles(Arrays.copyOf(recent, recentCount));
    recentCount = 0;
    if (recent.length > 65_536) recent = new long[1024];
    return result;
  }

  /** The percentiles of the last {@link #KEPT} samples. */
  public synchronized Percentiles overall() {
    return percentiles(Arrays.copyOf(kept, (int) Math.min(total, KEPT)));
  }

  public synchronized long count() {
    return total;
  }

  /** Nearest-rank percentiles of the samples (sorted in place). */
  public static Percentiles percentiles(long[] samples) {
    if (samples.length == 0) return Percentiles.NONE;
    Arrays.sort(samples);
    return new Percentiles(samples.length, rank(samples, 50), rank(samples, 95), rank(samples, 99),
        samples[samples.length - 1] / 1e6);
  }

  private static double rank(long[] sorted, double percentile) {
    var index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
