package io.vigie.common.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The settings every service shares, parsed and validated once. Each service parses its own
 * section from {@link #raw()} into its own record.
 */
public record VigieConfig(int httpPort, Path dataDir, String redisUrl, String elasticsearchUrl, String mqttUrl,
                          ClusterConfig cluster, long requestTimeoutMs, JsonObject raw) {

  public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members,
                              String kubernetesServiceDns) {}

  public static VigieConfig from(JsonObject raw) {
    var cluster = raw.getJsonObject("cluster", new JsonObject());
    var members = Arrays.stream(string(cluster, "members").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    var config = new VigieConfig(
        integer(raw, "http.port", 8080),
        Path.of(stringAt(raw, "data.dir", "./data")),
        blankToNull(stringAt(raw, "redis.url", "")),
        blankToNull(stringAt(raw, "elasticsearch.url", "")),
        blankToNull(stringAt(raw, "mqtt.url", "")),
        new ClusterConfig(bool(cluster.getValue("enabled")), stringAt(raw, "cluster.name", "vigie"),
            stringAt(raw, "cluster.host", "127.0.0.1"), integer(raw, "cluster.port", 5701), members,
            blankToNull(string(cluster, "kubernetesServiceDns"))),
        integer(raw, "bus.requestTimeout", 15000),
        raw);
    if (config.httpPort < 0 || config.httpPort > 65535) {
      throw new IllegalArgumentException("http.port (VIGIE_HTTP_PORT) must be 0..65535, got " + config.httpPort);
    }
    return config;
  }

  /** A value of the raw tree at a dotted path, as a string; {@code fallback} when absent. */
  public static String stringAt(JsonObject raw, String dottedPath, String fallback) {
    var value = valueAt(raw, dottedPath);
    return value == null ? fallback : value.toString();
  }

  /** A value of the raw tree at a dotted path, as an integer (strings from the environment parse). */
  public static int integer(JsonObject raw, String dottedPath, int fallback) {
    var value = valueAt(raw, dottedPath);
    if (value == null || value.toString().isBlank()) return fallback;
    if (value instanceof Number n) return n.intValue();
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(dottedPath + " must be an integer, got '" + value + "'");
    }
  }

  /** A value of the raw tree at a dotted path, as a double. */
  public static double decimal(JsonObject raw, String dottedPath, double fallback) {
    var value = valueAt(raw, dottedPath);
    if (value == null || value.toString().isBlank()) return fallback;
    if (value instanceof Number n) return n.doubleValue();
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(dottedPath + " must be a number, got '" + value + "'");
    }
  }

  /** A value of the raw tree at a dotted path, as a boolean ("true"/"false" from the environment). */
  public static boolean flag(JsonObject raw, String dottedPath, boolean fallback) {
    var value = valueAt(raw, dottedPath);
    return value == null || value.toString().isBlank() ? fallback : bool(value);
  }

  public static Object valueAt(JsonObject raw, String dottedPath) {
    Object node = raw;
    for (var part : dottedPath.split("\\.")) {
      if (!(node instanceof JsonObject object)) return null;
      node = object.getValue(part);
    }
    return node;
  }

  private static boolean bool(Object value) {
    return value != null && (Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(value.toString().trim()));
  }

  private static String string(JsonObject json, String key) {
    var value = json.getValue(key);
    return value == null ? "" : value.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
