package io.vigie.simulator;

import java.time.Instant;

/**
 * How a fleet is made.
 *
 * @param firstDevice the number of the first probe: probe {@code n} has DevEUI {@code 70b3d57ed0<n as 6 hex>} and
 *     DevAddr {@code 26<n as 6 hex>} (fleets with different first devices do not share devices)
 * @param silenceProbability per reading, the chance that a probe goes silent for 5 to 50 readings ({@link Silence})
 * @param failingEvery every n-th probe's fridge is failing (drifts warm); 0: none
 * @param seed the fridges' and silences' randomness (session keys are always random)
 * @param firstFCnt the first frame counter; {@link #CLOCK} for the seconds since 2025-01-01 (see {@link #clockFCnt})
 */
public record FleetOptions(int firstDevice, double silenceProbability, int failingEvery, long seed, long firstFCnt) {
  /** {@link #firstFCnt} value asking for {@link #clockFCnt()}. */
  public static final long CLOCK = -1;
  private static final long EPOCH = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();

  public FleetOptions {
    if (firstDevice < 1 || firstDevice > 0xFFFFFF) throw new IllegalArgumentException("the first device is 1..16777215");
    if (silenceProbability < 0 || silenceProbability > 1) throw new IllegalArgumentException("a silence probability is 0..1");
    if (firstFCnt < CLOCK || firstFCnt > 0xFFFFFFFFL) throw new IllegalArgumentException("a frame counter is 0..2^32-1");
  }

  /** The demo's: every 7th fridge failing, counters from the clock, nobody silent. */
  public static FleetOptions defaults() {
    return new FleetOptions(1, 0, 7, 1, CLOCK);
  }

  public FleetOptions withFirstDevice(int first) {
    return new FleetOptions(first, silenceProbability, failingEvery, seed, firstFCnt);
  }

  public FleetOptions withSilence(double probability) {
    return new FleetOptions(firstDevice, probability, failingEvery, seed, firstFCnt);
  }

  public FleetOptions withFirstFCnt(long fCnt) {
    return new FleetOptions(firstDevice, silenceProbability, failingEvery, seed, fCnt);
  }

  public FleetOptions withSeed(long value) {
    return new FleetOptions(firstDevice, silenceProbability, failingEvery, value, firstFCnt);
  }

  /** The first counter for a fleet made now. */
  public long resolvedFirstFCnt() {
    return firstFCnt == CLOCK ? clockFCnt() : firstFCnt;
  }

  /**
   * Seconds since 2025-01-01, plus one. A probe sends at most once a second (the load generator's device interval,
   * at least 1 s when counters come from the clock), so its counter never gets ahead of the clock, and a fleet made
   * later starts above every counter an earlier run of the same probes used: the platform's replay guard accepts a
   * restarted simulator. Above 65535, so only for paths that carry the 32-bit counter (network servers): a raw
   * Semtech UDP frame of a device never heard before must carry a counter below 65536.
   */
  public static long clockFCnt() {
    return Instant.now().getEpochSecond() - EPOCH + 1;
  }
}
