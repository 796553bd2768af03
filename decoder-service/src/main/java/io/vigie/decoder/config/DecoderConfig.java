package io.vigie.decoder.config;

import io.vigie.common.config.VigieConfig;

/**
 * The decoder's settings, parsed once from the {@code decoder} section (optional; set it in the
 * {@code VIGIE_CONFIG} file) and the shared {@code bus.requestTimeout}.
 *
 * @param requestTimeoutMs how long to wait for the registry and for the next stage
 * @param cacheSize device contexts kept in memory
 * @param cacheTtlMs how long a known device's context is trusted (registry.changed invalidates earlier)
 * @param unknownTtlMs how long "no such device" is remembered, so an unknown device cannot flood the registry
 */
public record DecoderConfig(long requestTimeoutMs, int cacheSize, long cacheTtlMs, long unknownTtlMs) {

  public static DecoderConfig from(VigieConfig config) {
    var raw = config.raw();
    var result = new DecoderConfig(config.requestTimeoutMs(),
        VigieConfig.integer(raw, "decoder.cacheSize", 10_000),
        VigieConfig.integer(raw, "decoder.cacheTtl", 600_000),
        VigieConfig.integer(raw, "decoder.unknownTtl", 30_000));
    if (result.requestTimeoutMs < 1) throw new IllegalArgumentException("bus.requestTimeout must be positive");
    if (result.cacheSize < 1) throw new IllegalArgumentException("decoder.cacheSize must be at least 1, got " + result.cacheSize);
    if (result.cacheTtlMs < 0 || result.unknownTtlMs < 0) {
      throw new IllegalArgumentException("decoder.cacheTtl and decoder.unknownTtl must not be negative");
    }
    return result;
  }
}
