package io.vigie.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the configuration with vertx-config: the defaults in {@code vigie-defaults.yaml}, then
 * the YAML file named by {@code VIGIE_CONFIG}, then the environment variables of
 * {@link #ENVIRONMENT}, then the overrides given by the caller (tests, the platform).
 */
public final class ConfigLoader {
  /** Environment variable → dotted path in the configuration tree. */
  public static final Map<String, String> ENVIRONMENT = environment();

  private ConfigLoader() {}

  private static Map<String, String> environment() {
    var map = new LinkedHashMap<String, String>();
    map.put("VIGIE_HTTP_PORT", "http.port");
    map.put("VIGIE_HTTP_INSTANCES", "http.instances");
    map.put("VIGIE_HTTP_TRUSTED_PROXIES", "http.trustedProxies");
    map.put("VIGIE_CORS_ORIGINS", "http.corsOrigins");
    map.put("VIGIE_HTTP_REQUEST_TIMEOUT", "http.requestTimeout");
    map.put("VIGIE_HTTP_MAX_CONNECTIONS", "http.maxConnections");
    map.put("VIGIE_NATIVE_TRANSPORT", "vertx.nativeTransport");
    map.put("VIGIE_DATA_DIR", "data.dir");
    map.put("VIGIE_REDIS_URL", "redis.url");
    map.put("VIGIE_ES_URL", "elasticsearch.url");
    map.put("VIGIE_ES_INDEX_PREFIX", "elasticsearch.indexPrefix");
    map.put("VIGIE_ES_RETENTION_MONTHS", "elasticsearch.retentionMonths");
    map.put("VIGIE_ES_SHARDS", "elasticsearch.shards");
    map.put("VIGIE_ES_REPLICAS", "elasticsearch.replicas");
    map.put("VIGIE_MQTT_URL", "mqtt.url");
    map.put("VIGIE_MQTT_CLIENT_ID", "mqtt.clientId");
    map.put("VIGIE_MQTT_USERNAME", "mqtt.username");
    map.put("VIGIE_MQTT_PASSWORD", "mqtt.password");
    map.put("VIGIE_UDP_PORT", "udp.port");
    map.put("VIGIE_UDP_HOST", "udp.host");
    map.put("VIGIE_INGEST_DEDUP_WINDOW_MS", "ingest.dedupWindowMs");
    map.put("VIGIE_CLUSTER", "cluster.enabled");
    map.put("VIGIE_CLUSTER_NAME", "cluster.name");
    map.put("VIGIE_CLUSTER_HOST", "cluster.host");
    map.put("VIGIE_CLUSTER_PORT", "cluster.port");
    map.put("VIGIE_CLUSTER_MEMBERS", "cluster.members");
    map.put("VIGIE_CLUSTER_K8S_SERVICE_DNS", "cluster.kubernetesServiceDns");
    map.put("VIGIE_BUS_REQUEST_TIMEOUT", "bus.requestTimeout");
    map.put("VIGIE_STAGE_TIMEOUT_DECODE", "bus.stageTimeout.decode");
    map.put("VIGIE_STAGE_TIMEOUT_ENRICH", "bus.stageTimeout.enrich");
    map.put("VIGIE_STAGE_TIMEOUT_ALERT", "bus.stageTimeout.alert");
    map.put("VIGIE_CLUSTER_HEARTBEAT", "cluster.heartbeat");
    map.put("VIGIE_CLUSTER_MEMBER_TIMEOUT", "cluster.memberTimeout");
    map.put("VIGIE_REALTIME_QUEUE_SIZE", "realtime.queueSize");
    map.put("VIGIE_REALTIME_IDLE_TIMEOUT_MS", "realtime.idleTimeout");
    map.put("VIGIE_REALTIME_SNAPSHOT_MAX_DEVICES", "realtime.snapshotMaxDevices");
    map.put("VIGIE_ADMIN_PASSWORD", "auth.adminPassword");
    map.put("VIGIE_TOKEN_TTL", "auth.tokenTtl");
    map.put("VIGIE_JWT_KEY_FILE", "auth.jwtKeyFile");
    map.put("VIGIE_JWT_KEY_MAX_AGE_DAYS", "auth.jwtKeyMaxAgeDays");
    map.put("VIGIE_REGISTRY_MASTER_KEY", "registry.masterKey");
    map.put("VIGIE_INGEST_TOKEN", "ingest.token");
    map.put("VIGIE_INGEST_TOKEN_CHIRPSTACK", "ingest.tokens.chirpstack");
    map.put("VIGIE_INGEST_TOKEN_TTN", "ingest.tokens.ttn");
    map.put("VIGIE_INGEST_TOKEN_THINGPARK", "ingest.tokens.thingpark");
    map.put("VIGIE_INGEST_MAX_IN_FLIGHT", "ingest.maxInFlight");
    map.put("VIGIE_INGEST_PARTITIONS", "ingest.partitions");
    map.put("VIGIE_INGEST_MAX_ENTRIES", "ingest.maxEntries");
    map.put("VIGIE_INGEST_MAX_BYTES", "ingest.maxBytes");
    map.put("VIGIE_INGEST_LEASE_MS", "ingest.leaseMs");
    map.put("VIGIE_INGEST_BATCH", "ingest.batch");
    map.put("VIGIE_INGEST_LINGER_MS", "ingest.lingerMs");
    map.put("VIGIE_INGEST_APPEND_WINDOW_MS", "ingest.appendWindowMs");
    map.put("VIGIE_ALERT_TEMPERATURE_ABOVE", "alert.temperatureAbove");
    map.put("VIGIE_ALERT_TICK_MS", "alert.tickMs");
    map.put("VIGIE_ALERT_HISTORY_INDEX", "alert.historyIndex");
    map.put("VIGIE_AUDIT_INDEX", "audit.index");
    map.put("VIGIE_SMTP_HOST", "smtp.host");
    map.put("VIGIE_SMTP_PORT", "smtp.port");
    map.put("VIGIE_SMTP_USERNAME", "smtp.username");
    map.put("VIGIE_SMTP_PASSWORD", "smtp.password");
    map.put("VIGIE_SMTP_FROM", "smtp.from");
    map.put("VIGIE_SMTP_STARTTLS", "smtp.starttls");
    map.put("VIGIE_SMTP_SSL", "smtp.ssl");
    map.put("VIGIE_NOTIFY_MAX_ATTEMPTS", "notify.maxAttempts");
    map.put("VIGIE_NOTIFY_BACKOFF_MS", "notify.backoffMs");
    map.put("VIGIE_NOTIFY_TIMEOUT_MS", "notify.timeoutMs");
    map.put("VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS", "notify.webhookAllowedNetworks");
    map.put("VIGIE_DECODER_FCNT_RESET", "decoder.fcntReset");
    map.put("VIGIE_DECODER_REPLAY_WINDOW", "decoder.replayWindow");
    map.put("VIGIE_DECODER_GUARD_CACHE", "decoder.guardCache");
    map.put("VIGIE_CODEC_TIMEOUT_MS", "decoder.codecTimeoutMs");
    map.put("VIGIE_REGISTRY_CACHE_SIZE", "registry.cache.size");
    map.put("VIGIE_REGISTRY_CACHE_TTL_MS", "registry.cache.ttlMs");
    map.put("VIGIE_REGISTRY_UNKNOWN_TTL_MS", "registry.cache.unknownTtlMs");
    return Map.copyOf(map);
  }

  /** Loads the merged configuration; {@code environment} is usually {@code System.getenv()}. */
  public static Future<JsonObject> load(Vertx vertx, Map<String, String> environment, JsonObject overrides) {
    var options = new ConfigRetrieverOptions().setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", "vigie-defaults.yaml")));
    var file = environment.get("VIGIE_CONFIG");
    if (file != null && !file.isBlank()) {
      if (!Files.isReadable(Path.of(file))) {
        return Future.failedFuture("VIGIE_CONFIG names a file that cannot be read: " + file);
      }
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", file)));
    }
    var retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .map(config -> {
          ENVIRONMENT.forEach((variable, path) -> {
            var value = environment.get(variable);
            if (value != null) put(config, path, value);
          });
          return config.mergeIn(overrides == null ? new JsonObject() : overrides, true);
        })
        .andThen(done -> retriever.close());
  }

  /** Puts {@code value} at a dotted path, creating the intermediate objects. */
  public static void put(JsonObject root, String dottedPath, Object value) {
    var parts = dottedPath.split("\\.");
    var node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      var child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
