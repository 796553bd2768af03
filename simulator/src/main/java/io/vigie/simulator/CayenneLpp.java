package io.vigie.simulator;

/** The few Cayenne LPP items a simulated fridge probe sends. */
public final class CayenneLpp {
  private CayenneLpp() {}

  /** Channel, type 0x67, int16 big-endian in 0.1 °C. */
  public static byte[] temperature(int channel, double celsius) {
    var raw = (int) Math.round(celsius * 10);
    return new byte[] {(byte) channel, 0x67, (byte) (raw >> 8), (byte) raw};
  }
}
