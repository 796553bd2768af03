package io.vigie.lorawan;

import java.util.Locale;

/**
 * A PHYPayload that is not a LoRaWAN 1.0.x data frame Vigie can handle: the only exception of this library. The
 * message says why, for a human; {@link #reason()} says it for a program (a metrics tag, an error code).
 */
public final class FrameException extends Exception {
  /** Why a frame is refused; {@link #code()} is the stable snake_case form. */
  public enum Reason {
    /** Empty, or ends before its header, FOpts or MIC do. */
    TRUNCATED_FRAME,
    /** Longer than the 255 bytes any region allows. */
    FRAME_TOO_LONG,
    /** The hex form is not an even number of hex digits. */
    NOT_HEX,
    /** A join request (OTAA is not handled). */
    JOIN_REQUEST,
    /** A join accept, an RFU or a proprietary frame. */
    NOT_DATA_FRAME,
    /** A LoRaWAN major version other than R1. */
    UNSUPPORTED_MAJOR,
    /** MAC commands both in FOpts and in an FPort 0 payload. */
    MAC_COMMANDS_TWICE;

    /** {@code truncated_frame}, {@code join_request}, … */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  public FrameException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
