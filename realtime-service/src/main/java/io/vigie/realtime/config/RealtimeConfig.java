package io.vigie.realtime.config;

import io.vigie.common.config.VigieConfig;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The realtime-service settings, parsed once ({@code realtime.*} in the configuration tree).
 *
 * @param authCacheSeconds how long a subscription decision is kept (same tenant, scopes and address)
 * @param maxSubscriptionsPerSocket registrations one socket may hold
 * @param registryTimeoutMs how long a subscription waits for the registry's answer
 * @param queueSize pushes one socket may have waiting while its client reads slowly; beyond, the oldest are dropped
 * @param heartbeatMs how often the server pings a {@code /ws} client and checks every socket for idleness
 * @param idleTimeoutMs a socket that sent nothing (frame, ping, pong) for that long is closed
 * @param authTimeoutMs a socket that presented no valid token for that long after connecting is closed
 * @param elasticsearchUrl where the history store is, for snapshots; null: snapshots are marked incomplete
 * @param indexPrefix the history store's index prefix ({@code elasticsearch.indexPrefix}, as the enrichment service)
 * @param snapshotMaxDevices devices one telemetry snapshot holds at most
 * @param snapshotTimeoutMs how long a subscription waits for its snapshot before live pushes resume without it
 * @param maxFramesPerSecond frames (of any type, pings included) one socket may send per second, sustained
 * @param frameBurst frames one socket may send at once above that rate (a page subscribing to its tiles); beyond,
 *     the client gets an {@code err} {@code rate_limited} and the socket is closed (1008)
 */
public record RealtimeConfig(int authCacheSeconds, int maxSubscriptionsPerSocket, long registryTimeoutMs,
                             int queueSize, long heartbeatMs, long idleTimeoutMs, long authTimeoutMs,
                             String elasticsearchUrl, String indexPrefix, int snapshotMaxDevices, long snapshotTimeoutMs,
                             int maxFramesPerSecond, int frameBurst) {
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9_.-]+");

  public static RealtimeConfig from(VigieConfig config) {
    var raw = config.raw();
    var settings = new RealtimeConfig(
        VigieConfig.integer(raw, "realtime.authCacheSeconds", 30),
        VigieConfig.integer(raw, "realtime.maxSubscriptionsPerSocket", 200),
        VigieConfig.integer(raw, "realtime.registryTimeout", 5000),
        VigieConfig.integer(raw, "realtime.queueSize", 256),
        VigieConfig.integer(raw, "realtime.heartbeat", 10_000),
        VigieConfig.integer(raw, "realtime.idleTimeout", 30_000),
        VigieConfig.integer(raw, "realtime.authTimeout", 10_000),
        config.elasticsearchUrl(),
        VigieConfig.stringAt(raw, "elasticsearch.indexPrefix", "vigie-measurements").trim().toLowerCase(Locale.ROOT),
        VigieConfig.integer(raw, "realtime.snapshotMaxDevices", 1000),
        VigieConfig.integer(raw, "realtime.snapshotTimeout", 5000),
        VigieConfig.integer(raw, "realtime.maxFramesPerSecond", 20),
        VigieConfig.integer(raw, "realtime.frameBurst", 400));
    require(settings.authCacheSeconds >= 0, "realtime.authCacheSeconds must be >= 0");
    require(settings.maxSubscriptionsPerSocket >= 1, "realtime.maxSubscriptionsPerSocket must be >= 1");
    require(settings.registryTimeoutMs >= 1, "realtime.registryTimeout must be >= 1 ms");
    require(settings.queueSize >= 1, "realtime.queueSize must be >= 1");
    require(settings.heartbeatMs >= 100, "realtime.heartbeat must be >= 100 ms");
    require(settings.idleTimeoutMs > settings.heartbeatMs, "realtime.idleTimeout must be longer than realtime.heartbeat");
    require(settings.authTimeoutMs >= 1, "realtime.authTimeout must be >= 1 ms");
    require(PREFIX.matcher(settings.indexPrefix).matches(), "elasticsearch.indexPrefix must be lower-case letters, digits, -, _ or .");
    require(settings.snapshotMaxDevices >= 1 && settings.snapshotMaxDevices <= 10_000, "realtime.snapshotMaxDevices must be 1..10000");
    require(settings.snapshotTimeoutMs >= 1, "realtime.snapshotTimeout must be >= 1 ms");
    require(settings.maxFramesPerSecond >= 1, "realtime.maxFramesPerSecond must be >= 1");
    require(settings.frameBurst >= 1, "realtime.frameBurst must be >= 1");
    return settings;
  }

  private static void require(boolean condition, String message) {
    if (!condition) throw new IllegalArgumentException(message);
  }
}
