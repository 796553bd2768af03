package io.vigie.gateway.adapter;

/**
 * A body from a network server that cannot become an {@link io.vigie.common.message.Uplink}; the
 * message names the field and says why. Answered with 400.
 */
public final class InvalidUplinkException extends IllegalArgumentException {
  public InvalidUplinkException(String message) {
    super(message);
  }
}
