package io.vigie.registry.client;

import io.vigie.common.config.VigieConfig;

/**
 * How a service caches the registry, from the {@code registry.cache} section (environment
 * {@code VIGIE_REGISTRY_CACHE_SIZE}, {@code VIGIE_REGISTRY_CACHE_TTL_MS}, {@code VIGIE_REGISTRY_UNKNOWN_TTL_MS}) and
 * the shared {@code bus.requestTimeout}.
 *
 * @param size answers kept per kind of lookup (device contexts, session keys, DevAddrs, nodes)
 * @param ttlMs how long an answer is trusted; {@code registry.changed} drops it earlier, this is the safety net
 * @param unknownTtlMs how long "no such device/node/DevAddr" is remembered
 * @param requestTimeoutMs how long to wait for the registry
 */
public record RegistryClientConfig(int size, long ttlMs, long unknownTtlMs, long requestTimeoutMs) {

  public RegistryClientConfig {
    if (size < 1) throw new IllegalArgumentException("registry.cache.size must be at least 1, got " + size);
    if (ttlMs < 0 || unknownTtlMs < 0) {
      throw new IllegalArgumentException("registry.cache.ttlMs and registry.cache.unknownTtlMs must not be negative");
    }
    if (requestTimeoutMs < 1) throw new IllegalArgumentException("bus.requestTimeout must be positive");
  }

  public static RegistryClientConfig from(VigieConfig config) {
    var raw = config.raw();
    return new RegistryClientConfig(VigieConfig.integer(raw, "registry.cache.size", 10_000),
        VigieConfig.integer(raw, "registry.cache.ttlMs", 600_000),
        VigieConfig.integer(raw, "registry.cache.unknownTtlMs", 30_000),
        config.requestTimeoutMs());
  }
}
