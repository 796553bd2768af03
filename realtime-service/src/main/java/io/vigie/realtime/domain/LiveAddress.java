package io.vigie.realtime.domain;

import io.vigie.common.Addresses;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client-facing address of the bridge, parsed: what the client wants to watch.
 *
 * @param kind a device's measurements, a subtree's measurements, or a subtree's alerts
 * @param id the devEui (16 lower-case hex digits) or the node id
 */
public record LiveAddress(Kind kind, String id, String address) {
  public enum Kind { DEVICE_TELEMETRY, NODE_TELEMETRY, NODE_ALERTS }

  private static final Pattern DEV_EUI = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern NODE_ID = Pattern.compile("[^\\s]{1,128}");

  /** Whether the target is a device (else a node of the hierarchy). */
  public boolean isDevice() {
    return kind == Kind.DEVICE_TELEMETRY;
  }

  /** Empty for anything that is not a well-formed live address. */
  public static Optional<LiveAddress> parse(String address) {
    if (address == null) return Optional.empty();
    if (address.startsWith(Addresses.TELEMETRY_DEVICE_PREFIX)) {
      return of(Kind.DEVICE_TELEMETRY, address, Addresses.TELEMETRY_DEVICE_PREFIX, DEV_EUI);
    }
    if (address.startsWith(Addresses.TELEMETRY_NODE_PREFIX)) {
      return of(Kind.NODE_TELEMETRY, address, Addresses.TELEMETRY_NODE_PREFIX, NODE_ID);
    }
    if (address.startsWith(Addresses.ALERTS_NODE_PREFIX)) {
      return of(Kind.NODE_ALERTS, address, Addresses.ALERTS_NODE_PREFIX, NODE_ID);
    }
    return Optional.empty();
  }

  private static Optional<LiveAddress> of(Kind kind, String address, String prefix, Pattern id) {
    var rest = address.substring(prefix.length());
    return id.matcher(rest).matches() ? Optional.of(new LiveAddress(kind, rest, address)) : Optional.empty();
  }
}
