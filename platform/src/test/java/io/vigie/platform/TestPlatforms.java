package io.vigie.platform;

import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;

/** The configuration of an all-in-one platform started by a test class on the infrastructure every class shares. */
final class TestPlatforms {
  private TestPlatforms() {}

  /**
   * Port 0, a private data folder, the class's own Redis database, and its own Elasticsearch indices (measurements,
   * audit trail, alert history: the Elasticsearch of the test JVM is shared), MQTT client id, admin password
   * ({@code <name>-admin-password}) and integration secret ({@code <name>-ingest-secret}); a free UDP port.
   */
  static JsonObject overrides(String name, int redisDatabase, EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch,
                              EmbeddedMqttBroker mqtt) throws IOException {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-" + name).toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/" + redisDatabase))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", name + "-measurements"))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-" + name + "-test"))
        .put("udp", new JsonObject().put("port", FreePorts.find()))
        .put("auth", new JsonObject().put("adminPassword", name + "-admin-password"))
        .put("ingest", new JsonObject().put("token", name + "-ingest-secret"))
        .put("audit", new JsonObject().put("index", name + "-audit"))
        .put("alert", new JsonObject().put("historyIndex", name + "-alert-history"))
        // webhooks to the tests' receivers on the loopback, where they may not go by default
        .put("notify", new JsonObject().put("webhookAllowedNetworks", "127.0.0.0/8"));
  }

  /** A silent platform with {@link #overrides}. */
  static Platform start(String name, int redisDatabase, EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch,
                        EmbeddedMqttBroker mqtt) throws Exception {
    return Platform.start(Map.of(), overrides(name, redisDatabase, redis, elasticsearch, mqtt),
        new PrintStream(new ByteArrayOutputStream()));
  }
}
