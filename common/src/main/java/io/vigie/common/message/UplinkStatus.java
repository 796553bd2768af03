package io.vigie.common.message;

import java.util.Arrays;
import java.util.Locale;

/**
 * The fate of an accepted uplink, as {@code GET /api/v1/devices/{devEui}/uplinks} shows it. Its JSON form is the
 * lower-case name with dashes ({@code mic-failed}).
 */
public enum UplinkStatus {
  /** In the ingest log, not processed yet. */
  PENDING,
  /** Decoded and stored (and evaluated by the alert rules). */
  STORED,
  /** Stored, but its codec failed: the document carries the codec's message and no measurement. */
  CODEC_ERROR,
  /** The same uplink was stored before (a re-delivery): not stored twice. */
  DUPLICATE,
  /** A frame counter seen before with other content, or below the replay window: refused. */
  REPLAY,
  /** The MIC does not verify with the device's NwkSKey: refused. */
  MIC_FAILED,
  /** No such device in the registry when the uplink was processed. */
  UNKNOWN_DEVICE,
  /** The uplink could not be read at all (a frame the decoder cannot parse). */
  MALFORMED;

  public String json() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static UplinkStatus fromJson(String value) {
    return Arrays.stream(values()).filter(s -> s.json().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown uplink status: " + value));
  }

  /** True when processing is over for the uplink: it may leave the ingest log. */
  public boolean finished() {
    return this != PENDING;
  }
}
