package io.vigie.realtime.config;

import io.vigie.common.config.VigieConfig;

/**
 * The realtime-service settings, parsed once ({@code realtime.*} in the configuration tree).
 *
 * @param authCacheSeconds how long a socket keeps a subscription decision (same token, same address)
 * @param maxSubscriptionsPerSocket registrations one socket may hold
 * @param registryTimeoutMs how long a subscription waits for the registry's answer
 */
public record RealtimeConfig(int authCacheSeconds, int maxSubscriptionsPerSocket, long registryTimeoutMs) {

  public static RealtimeConfig from(VigieConfig config) {
    var raw = config.raw();
    var settings = new RealtimeConfig(
        VigieConfig.integer(raw, "realtime.authCacheSeconds", 30),
        VigieConfig.integer(raw, "realtime.maxSubscriptionsPerSocket", 200),
        VigieConfig.integer(raw, "realtime.registryTimeout", 5000));
    if (settings.authCacheSeconds < 0) throw new IllegalArgumentException("realtime.authCacheSeconds must be >= 0");
    if (settings.maxSubscriptionsPerSocket < 1) throw new IllegalArgumentException("realtime.maxSubscriptionsPerSocket must be >= 1");
    if (settings.registryTimeoutMs < 1) throw new IllegalArgumentException("realtime.registryTimeout must be >= 1 ms");
    return settings;
  }
}
