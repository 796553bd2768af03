package io.vigie.gateway.config;

import io.vigie.common.config.VigieConfig;
import java.util.Locale;
import java.util.Set;

/**
 * The Semtech UDP adapter's settings: {@code udp.port} (VIGIE_UDP_PORT, default 1700; 0 = any free port, read it
 * back from {@code GatewayService.udpPort()}; {@code off} or a negative number = adapter off) and {@code udp.host}
 * (the interface to bind, default all).
 */
public record UdpSettings(String host, int port) {
  public static final int DEFAULT_PORT = 1700;
  private static final Set<String> OFF = Set.of("off", "false", "disabled", "none");

  /** Null when the adapter is off. */
  static UdpSettings from(VigieConfig config) {
    var raw = config.raw();
    var value = VigieConfig.valueAt(raw, "udp.port");
    if (value != null && OFF.contains(value.toString().trim().toLowerCase(Locale.ROOT))) return null;
    var port = VigieConfig.integer(raw, "udp.port", DEFAULT_PORT);
    if (port < 0) return null;
    if (port > 65535) throw new IllegalArgumentException("udp.port (VIGIE_UDP_PORT) must be 0..65535 or 'off', got " + port);
    var host = VigieConfig.stringAt(raw, "udp.host", "0.0.0.0").trim();
    return new UdpSettings(host.isEmpty() ? "0.0.0.0" : host, port);
  }
}
