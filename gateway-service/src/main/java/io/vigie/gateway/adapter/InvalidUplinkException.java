package io.vigie.gateway.adapter;

/**
 * Input from a network server or a gateway that cannot become an {@link io.vigie.common.message.Uplink}; the
 * message names the field and says why. Answered with 400 (HTTP), or counted and dropped (MQTT, UDP).
 */
public final class InvalidUplinkException extends IllegalArgumentException {
  /** The metrics reason for a malformed body or field. */
  public static final String MALFORMED = "malformed";

  private final String reason;

  public InvalidUplinkException(String message) {
    this(MALFORMED, message);
  }

  /**
   * @param reason the {@code reason} tag of {@code vigie_gateway_uplinks_rejected_total} ({@code malformed},
   *     {@code bad_event}, {@code truncated}, {@code crc_bad}…)
   */
  public InvalidUplinkException(String reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
