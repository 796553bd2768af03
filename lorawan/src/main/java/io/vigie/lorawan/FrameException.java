package io.vigie.lorawan;

/** A PHYPayload that is not a LoRaWAN 1.0.x data frame Vigie can handle; the message says why, for a human. */
public final class FrameException extends Exception {
  public FrameException(String message) {
    super(message, null, false, false);
  }
}
