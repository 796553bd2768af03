package io.vigie.simulator;

import java.util.Random;

/**
 * The temperature of one fridge over time: a setpoint with sensor noise, door openings that warm
 * it for a few minutes, periodic defrost cycles, and, for a failing fridge, a slow warm drift.
 */
public final class FridgeModel {
  private final double setpoint;
  private boolean failing;
  private final Random random;
  private double excess;          // °C above the setpoint from doors and defrost, decaying
  private double drift;           // °C of a failing compressor, growing
  private long step;

  public FridgeModel(double setpoint, boolean failing, long seed) {
    this.setpoint = setpoint;
    this.failing = failing;
    this.random = new Random(seed);
  }

  /** A technician fixes the compressor: the drift is gone, the fridge cools back to its setpoint. */
  public synchronized void repair() {
    failing = false;
    drift = 0;
  }

  /** The next reading, one sampling interval later, rounded to the sensor's 0.1 °C. */
  public synchronized double next() {
    step++;
    excess *= 0.6;
    if (random.nextDouble() < 0.05) excess += 2 + random.nextDouble() * 4;   // a door opening
    if (step % 48 == 0) excess += 6;                                          // defrost cycle
    if (failing) drift += 0.3 + random.nextDouble() * 0.2;
    var value = setpoint + excess + drift + random.nextGaussian() * 0.15;
    return Math.round(value * 10) / 10.0;
  }
}
