package io.vigie.registry.config;

import io.vertx.core.json.JsonObject;
import io.vigie.common.config.VigieConfig;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The registry's settings, parsed and validated once from the shared configuration tree.
 *
 * @param redisUrl            {@code redis.url} (VIGIE_REDIS_URL), required
 * @param jwtKeyFile          {@code auth.jwtKeyFile} (VIGIE_JWT_KEY_FILE), default {@code <data.dir>/jwt-signing-key.pem}
 * @param tokenTtlSeconds     {@code auth.tokenTtl} (VIGIE_TOKEN_TTL)
 * @param adminPassword       {@code auth.adminPassword} (VIGIE_ADMIN_PASSWORD), null to generate one
 * @param masterKey           {@code registry.masterKey}: 32 bytes (base64), null to use {@link #masterKeyFile}
 * @param masterKeyFile       {@code <data.dir>/master.key}, created when {@code masterKey} is absent
 * @param maxFailuresPerUser  {@code auth.throttle.maxFailuresPerUser}: failed logins for one username from one client
 *                            address before each further failure delays the next try from there
 * @param maxFailuresPerIp    {@code auth.throttle.maxFailuresPerIp}: failed logins from one client address per window,
 *                            whatever the username
 * @param throttleWindowSeconds {@code auth.throttle.windowSeconds}
 * @param throttleFirstDelaySeconds {@code auth.throttle.firstDelaySeconds}: the first delay, doubled at each failure
 * @param throttleMaxDelaySeconds {@code auth.throttle.maxDelaySeconds}: the longest delay
 * @param jwtKeyMaxAgeDays    {@code auth.jwtKeyMaxAgeDays} (VIGIE_JWT_KEY_MAX_AGE_DAYS): the signing key is replaced
 *                            once older (its public key published until its last token expires); 0: never
 * @param importMaxRows       {@code registry.import.maxRows}: rows accepted by one device import (413 beyond)
 * @param elasticsearchUrl    {@code elasticsearch.url} (VIGIE_ES_URL): where the audit trail is indexed; null: not indexed
 * @param auditIndex          {@code audit.index} (VIGIE_AUDIT_INDEX), default {@code vigie-audit}
 * @param requestTimeoutMs    how long an Elasticsearch request may take
 */
public record RegistryConfig(String redisUrl, Path jwtKeyFile, int tokenTtlSeconds, String adminPassword,
                             byte[] masterKey, Path masterKeyFile, int maxFailuresPerUser, int maxFailuresPerIp,
                             int throttleWindowSeconds, int importMaxRows, String elasticsearchUrl, String auditIndex,
                             long requestTimeoutMs, int throttleFirstDelaySeconds, int throttleMaxDelaySeconds,
                             int jwtKeyMaxAgeDays) {

  public static RegistryConfig from(VigieConfig config) {
    var raw = config.raw();
    if (config.redisUrl() == null) {
      throw new IllegalStateException("device-registry-service stores everything in Redis: set redis.url "
          + "(environment VIGIE_REDIS_URL), e.g. redis://localhost:6379");
    }
    var keyFile = blankToNull(VigieConfig.stringAt(raw, "auth.jwtKeyFile", ""));
    var ttl = VigieConfig.integer(raw, "auth.tokenTtl", 3600);
    if (VigieConfig.integer(raw, "auth.jwtKeyMaxAgeDays", 0) < 0) {
      throw new IllegalArgumentException("auth.jwtKeyMaxAgeDays (VIGIE_JWT_KEY_MAX_AGE_DAYS) must be 0 (never) or more");
    }
    if (ttl < 60 || ttl > 86_400) {
      throw new IllegalArgumentException("auth.tokenTtl (VIGIE_TOKEN_TTL) must be 60..86400 seconds, got " + ttl);
    }
    var password = blankToNull(VigieConfig.stringAt(raw, "auth.adminPassword", ""));
    if (password != null && password.length() < 8) {
      throw new IllegalArgumentException("auth.adminPassword (VIGIE_ADMIN_PASSWORD) must have at least 8 characters");
    }
    return new RegistryConfig(config.redisUrl(),
        keyFile == null ? config.dataDir().resolve("jwt-signing-key.pem") : Path.of(keyFile),
        ttl, password, masterKey(blankToNull(VigieConfig.stringAt(raw, "registry.masterKey", ""))),
        config.dataDir().resolve("master.key"),
        positive(raw, "auth.throttle.maxFailuresPerUser", 5),
        positive(raw, "auth.throttle.maxFailuresPerIp", 20),
        positive(raw, "auth.throttle.windowSeconds", 60),
        positive(raw, "registry.import.maxRows", 10_000), config.elasticsearchUrl(),
        VigieConfig.stringAt(raw, "audit.index", "vigie-audit"), config.requestTimeoutMs(),
        positive(raw, "auth.throttle.firstDelaySeconds", 2), positive(raw, "auth.throttle.maxDelaySeconds", 900),
        VigieConfig.integer(raw, "auth.jwtKeyMaxAgeDays", 0));
  }

  private static byte[] masterKey(String base64) {
    if (base64 == null) return null;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("registry.masterKey must be base64 (32 random bytes)");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("registry.masterKey must be 32 bytes once base64-decoded, got " + key.length);
    }
    return key;
  }

  private static int positive(JsonObject raw, String path, int fallback) {
    var value = VigieConfig.integer(raw, path, fallback);
    if (value <= 0) throw new IllegalArgumentException(path + " must be positive, got " + value);
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The Redis URL without its credentials, for logs and error messages. */
  public String redisUrlForLogs() {
    return redisUrl.replaceAll("//[^@/]*@", "//***@");
  }

  @Override
  public String toString() {
    // never print secrets
    return "RegistryConfig[redisUrl=" + redisUrlForLogs() + ", jwtKeyFile=" + jwtKeyFile
        + ", tokenTtlSeconds=" + tokenTtlSeconds + ", maxFailuresPerUser=" + maxFailuresPerUser
        + ", maxFailuresPerIp=" + maxFailuresPerIp + ", throttleWindowSeconds=" + throttleWindowSeconds
        + ", throttleDelaySeconds=" + throttleFirstDelaySeconds + ".." + throttleMaxDelaySeconds
        + ", jwtKeyMaxAgeDays=" + jwtKeyMaxAgeDays
        + ", importMaxRows=" + importMaxRows + ", auditIndex=" + auditIndex
        + ", elasticsearch=" + (elasticsearchUrl == null ? "none" : elasticsearchUrl.replaceAll("//[^@/]*@", "//***@")) + "]";
  }
}
