package io.vigie.simulator;

import java.time.Duration;

/**
 * How {@link LoadGenerator} sends.
 *
 * @param rate uplinks per second
 * @param duration how long to send; null or zero: until {@code count}
 * @param count how many uplinks to send; 0: until {@code duration}
 * @param deviceInterval the least time between two uplinks of one probe
 * @param maxInFlight uplinks sent and not answered yet, at most
 * @param drainTimeout how long to wait for the last answers
 */
public record LoadSettings(double rate, Duration duration, long count, Duration deviceInterval, int maxInFlight,
                           Duration drainTimeout) {
  public LoadSettings {
    if (!(rate > 0)) throw new IllegalArgumentException("the rate must be above 0 uplinks/s");
    if ((duration == null || duration.isZero()) && count <= 0) throw new IllegalArgumentException("give a duration or a count");
    if (count < 0 || maxInFlight < 1) throw new IllegalArgumentException("count ≥ 0 and max in flight ≥ 1");
  }

  /** {@code count} uplinks at {@code rate}, one per probe per second at most. */
  public static LoadSettings count(double rate, long count) {
    return new LoadSettings(rate, null, count, Duration.ofSeconds(1), 256, Duration.ofSeconds(30));
  }
}
