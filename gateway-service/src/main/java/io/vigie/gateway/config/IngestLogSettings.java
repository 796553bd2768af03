package io.vigie.gateway.config;

import io.vigie.common.config.StageTimeouts;
import io.vigie.common.config.VigieConfig;

/**
 * The ingest log's settings ({@code ingest.*}), parsed and validated once.
 *
 * @param redisUrl the Redis holding the log (AOF on: see docs/network-servers.md)
 * @param partitions streams the devices are spread over; every gateway instance must use the same number
 * @param maxEntries entries per partition before appends are refused (503, no PUBACK)
 * @param maxBytes bytes of uplink JSON per partition before appends are refused
 * @param leaseMs how long a partition's lease lasts without renewal (renewed every third of it)
 * @param batch entries per batch request on {@code uplink.received}
 * @param fateHistory fates kept per device ({@code GET /api/v1/devices/{devEui}/uplinks})
 * @param requestTimeoutMs how long a consumer waits for a batch reply ({@link StageTimeouts#decodeMs()}: the whole chain
 *     below the gateway); then it sends the batch again, and another decoder instance takes it
 * @param lingerMs after a batch smaller than {@code batch}, how long a consumer lets entries gather before it reads
 *     again (0: at once): batches grow under load, a lone uplink is not delayed
 * @param appendWindowMs how long an append waits for others to share its Redis round trip (0: those of the same
 *     event-loop turn)
 * @param appendBatch uplinks per append script call; a call of that many is sent without waiting for the window
 */
public record IngestLogSettings(String redisUrl, int partitions, int maxEntries, long maxBytes, long leaseMs, int batch,
                                int fateHistory, long requestTimeoutMs, long lingerMs, long appendWindowMs, int appendBatch) {
  public static final long DEFAULT_LINGER_MS = 20;
  public static final long DEFAULT_APPEND_WINDOW_MS = 1;
  public static final int DEFAULT_APPEND_BATCH = 128;

  /** The defaults of the batching settings, the rest as given (tests). */
  public IngestLogSettings(String redisUrl, int partitions, int maxEntries, long maxBytes, long leaseMs, int batch,
                           int fateHistory, long requestTimeoutMs) {
    this(redisUrl, partitions, maxEntries, maxBytes, leaseMs, batch, fateHistory, requestTimeoutMs, DEFAULT_LINGER_MS,
        DEFAULT_APPEND_WINDOW_MS, DEFAULT_APPEND_BATCH);
  }

  public static IngestLogSettings from(VigieConfig config) {
    if (config.redisUrl() == null) {
      throw new IllegalArgumentException("the gateway needs Redis for its ingest log: set redis.url (VIGIE_REDIS_URL)");
    }
    var raw = config.raw();
    return new IngestLogSettings(config.redisUrl(),
        atLeast(raw, "ingest.partitions", "VIGIE_INGEST_PARTITIONS", 8, 1),
        atLeast(raw, "ingest.maxEntries", "VIGIE_INGEST_MAX_ENTRIES", 100_000, 1),
        atLeast(raw, "ingest.maxBytes", "VIGIE_INGEST_MAX_BYTES", 64 * 1024 * 1024, 1024),
        atLeast(raw, "ingest.leaseMs", "VIGIE_INGEST_LEASE_MS", 5_000, 30),
        atLeast(raw, "ingest.batch", "VIGIE_INGEST_BATCH", 256, 1),
        atLeast(raw, "ingest.fateHistory", "(VIGIE_CONFIG file)", 100, 1),
        StageTimeouts.from(config).decodeMs(),
        atLeast(raw, "ingest.lingerMs", "VIGIE_INGEST_LINGER_MS", (int) DEFAULT_LINGER_MS, 0),
        atLeast(raw, "ingest.appendWindowMs", "VIGIE_INGEST_APPEND_WINDOW_MS", (int) DEFAULT_APPEND_WINDOW_MS, 0),
        atLeast(raw, "ingest.appendBatch", "(VIGIE_CONFIG file)", DEFAULT_APPEND_BATCH, 1));
  }

  private static int atLeast(io.vertx.core.json.JsonObject raw, String path, String variable, int fallback, int min) {
    var value = VigieConfig.integer(raw, path, fallback);
    if (value < min) throw new IllegalArgumentException(path + " (" + variable + ") must be at least " + min + ", got " + value);
    return value;
  }

  /** Never prints the Redis URL (it may hold a password). */
  @Override
  public String toString() {
    return "IngestLogSettings[partitions=" + partitions + ", maxEntries=" + maxEntries + ", maxBytes=" + maxBytes
        + ", leaseMs=" + leaseMs + ", batch=" + batch + ", fateHistory=" + fateHistory + ", lingerMs=" + lingerMs
        + ", appendWindowMs=" + appendWindowMs + ", appendBatch=" + appendBatch + "]";
  }
}
