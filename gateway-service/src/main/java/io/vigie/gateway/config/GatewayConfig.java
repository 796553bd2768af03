package io.vigie.gateway.config;

import io.vigie.common.config.VigieConfig;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The gateway's settings, parsed and validated once from the {@code ingest}, {@code mqtt} and {@code udp} sections.
 *
 * @param ingestToken the integration secret network servers present (never logged)
 * @param tokenGenerated true when {@code ingest.token} was blank and this token was generated at start
 * @param maxInFlight uplinks in flight per adapter before answering 503 (HTTP) or leaving unacknowledged (MQTT)
 * @param bodyLimit largest accepted request body or MQTT payload, in bytes
 * @param requestTimeoutMs how long a partition consumer waits for a batch reply on the bus
 * @param dedupWindowMs how long the first copy of a frame from the MQTT and UDP adapters waits for other copies
 * @param mqtt the MQTT adapter, or null when {@code mqtt.url} is empty
 * @param udp the Semtech UDP adapter, or null when {@code udp.port} is {@code off}
 */
public record GatewayConfig(String ingestToken, boolean tokenGenerated, int maxInFlight, int bodyLimit,
                            long requestTimeoutMs, long dedupWindowMs, MqttSettings mqtt, UdpSettings udp,
                            java.util.Map<String, String> integrationTokens) {

  /** The integrations that may have their own secret ({@code ingest.tokens.<name>}), by the adapter they feed. */
  public static final java.util.Map<String, String> INTEGRATIONS = java.util.Map.of(
      "chirpstack", "chirpstack-v4", "ttn", "tts-v3", "thingpark", "thingpark");

  /** The secret an integration presents: its own when configured, else the shared integration secret. */
  public String tokenFor(String adapter) {
    return integrationTokens.getOrDefault(adapter, ingestToken);
  }

  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final int DEFAULT_BODY_LIMIT = 64 * 1024;
  public static final int DEFAULT_DEDUP_WINDOW_MS = 200;

  private static final SecureRandom RANDOM = new SecureRandom();

  public static GatewayConfig from(VigieConfig config) {
    var raw = config.raw();
    var token = VigieConfig.stringAt(raw, "ingest.token", "").trim();
    var generated = token.isEmpty();
    if (generated) token = generateToken();
    var maxInFlight = VigieConfig.integer(raw, "ingest.maxInFlight", DEFAULT_MAX_IN_FLIGHT);
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("ingest.maxInFlight (VIGIE_INGEST_MAX_IN_FLIGHT) must be at least 1, got " + maxInFlight);
    }
    var bodyLimit = VigieConfig.integer(raw, "ingest.bodyLimit", DEFAULT_BODY_LIMIT);
    if (bodyLimit < 1024) {
      throw new IllegalArgumentException("ingest.bodyLimit must be at least 1024 bytes, got " + bodyLimit);
    }
    if (config.requestTimeoutMs() < 1) {
      throw new IllegalArgumentException("bus.requestTimeout (VIGIE_BUS_REQUEST_TIMEOUT) must be positive, got "
          + config.requestTimeoutMs());
    }
    var window = VigieConfig.integer(raw, "ingest.dedupWindowMs", DEFAULT_DEDUP_WINDOW_MS);
    if (window < 0 || window > 10_000) {
      throw new IllegalArgumentException("ingest.dedupWindowMs must be between 0 and 10000 ms, got " + window);
    }
    var own = new java.util.HashMap<String, String>();
    INTEGRATIONS.forEach((name, adapter) -> {
      var secret = VigieConfig.stringAt(raw, "ingest.tokens." + name, "").trim();
      if (!secret.isEmpty()) own.put(adapter, secret);
    });
    return new GatewayConfig(token, generated, maxInFlight, bodyLimit, config.requestTimeoutMs(), window,
        MqttSettings.from(config), UdpSettings.from(config), java.util.Map.copyOf(own));
  }

  /** 32 random bytes, base64url without padding (43 characters). */
  static String generateToken() {
    var bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Never prints the secrets: records print every component by default. */
  @Override
  public String toString() {
    return "GatewayConfig[ingestToken=<hidden>, tokenGenerated=" + tokenGenerated + ", maxInFlight=" + maxInFlight
        + ", bodyLimit=" + bodyLimit + ", requestTimeoutMs=" + requestTimeoutMs + ", dedupWindowMs=" + dedupWindowMs
        + ", mqtt=" + mqtt + ", udp=" + udp + "]";
  }
}
