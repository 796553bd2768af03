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
    var redisUrl = blankToNull(stringAt(raw, "redis.url", ""));
    var members = Arrays.stream(string(cluster, "members").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    var config = new VigieConfig(
        integer(raw, "http.port", 8080),
        Path.of(stringAt(raw, "data.dir", "./data")),
        redisUrl,
        blankToNull(stringAt(raw, "elasticsearch.url", "")),
        blankToNull(stringAt(raw, "mqtt.url", "")),
        new ClusterConfig(bool(cluster.getValue("enabled")), clusterName(stringAt(raw, "cluster.name", ""), redisUrl),
            stringAt(raw, "cluster.host", "127.0.0.1"), integer(raw, "cluster.port", 5701), members,
            blankToNull(string(cluster, "kubernetesServiceDns"))),
        integer(raw, "bus.requestTimeout", 15000),
        raw);
    if (config.httpPort < 0 || config.httpPort > 65535) {
      throw new IllegalArgumentException("http.port (VIGIE_HTTP_PORT) must be 0..65535, got " + config.httpPort);
    }
    return config;
  }

  /**
   * The Hazelcast cluster name: {@code cluster.name} ({@code VIGIE_CLUSTER_NAME}) when set, else {@code vigie-} and a
   * digest of the Redis URL. Processes of one deployment share their Redis, so they meet; two unrelated deployments on
   * one host or network (each with its own Redis, or its own Redis database) never merge into one cluster, which a
   * fixed default name would do silently. The digest hides the URL's password; set the name explicitly when members
   * spell the Redis URL differently.
   */
  static String clusterName(String configured, String redisUrl) {
    if (configured != null && !configured.isBlank()) return configured.trim();
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.valueOf(redisUrl).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "vigie-" + java.util.HexFormat.of().formatHex(digest, 0, 5);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Primary shards of the indices Vigie creates ({@code elasticsearch.shards}, VIGIE_ES_SHARDS), at least 1. */
  public int elasticsearchShards() {
    var shards = integer(raw, "elasticsearch.shards", 1);
    if (shards < 1) throw new IllegalArgumentException("elasticsearch.shards (VIGIE_ES_SHARDS) must be at least 1, got " + shards);
    return shards;
  }

  /** Replicas of each shard of the indices Vigie creates ({@code elasticsearch.replicas}, VIGIE_ES_REPLICAS), at least 0. */
  public int elasticsearchReplicas() {
    var replicas = integer(raw, "elasticsearch.replicas", 0);
    if (replicas < 0) throw new IllegalArgumentException("elasticsearch.replicas (VIGIE_ES_REPLICAS) cannot be negative, got " + replicas);
    return replicas;
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
