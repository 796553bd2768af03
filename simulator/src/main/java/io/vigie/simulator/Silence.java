package io.vigie.simulator;

import java.util.Random;

/**
 * Devices that go silent: at each reading, with {@code probability}, the device stops sending for a while (a flat
 * battery, a door closed on the antenna, a reboot loop) — between {@code minReadings} and {@code maxReadings}
 * readings, the first one included. What the platform's "device silent" detection is for.
 */
public final class Silence {
  private final double probability;
  private final int minReadings;
  private final int maxReadings;
  private final Random random;
  private int remaining;

  public Silence(double probability, int minReadings, int maxReadings, long seed) {
    if (probability < 0 || probability > 1) throw new IllegalArgumentException("a silence probability is 0..1");
    if (minReadings < 1 || maxReadings < minReadings) throw new IllegalArgumentException("silent for 1 ≤ min ≤ max readings");
    this.probability = probability;
    this.minReadings = minReadings;
    this.maxReadings = maxReadings;
    this.random = new Random(seed);
  }

  /** Never silent. */
  public static Silence never() {
    return new Silence(0, 1, 1, 0);
  }

  /** Whether the device skips this reading. */
  public synchronized boolean skips() {
    if (remaining > 0) {
      remaining--;
      return true;
    }
    if (probability > 0 && random.nextDouble() < probability) {
      remaining = minReadings + random.nextInt(maxReadings - minReadings + 1) - 1;
      return true;
    }
    return false;
  }

  /** Whether the device is silent right now (between two readings). */
  public synchronized boolean silent() {
    return remaining > 0;
  }
}
