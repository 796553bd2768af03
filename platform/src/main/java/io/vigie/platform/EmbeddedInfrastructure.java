package io.vigie.platform;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real Redis, Elasticsearch and MQTT broker the platform starts for itself under the data
 * folder, for each one whose URL is not configured. Elasticsearch boots in the background while
 * the others start.
 */
final class EmbeddedInfrastructure implements AutoCloseable {
  private final List<AutoCloseable> started = new ArrayList<>();
  String redisUrl;
  String elasticsearchUrl;
  String mqttUrl;

  /**
   * @param redisUrl configured external Redis, or null to start one (same for the others)
   */
  static EmbeddedInfrastructure start(Path dataDir, String redisUrl, String elasticsearchUrl, String mqttUrl,
                                      PrintStream out) {
    var infra = new EmbeddedInfrastructure();
    try {
      CompletableFuture<EmbeddedElasticsearch> elasticsearch = null;
      if (elasticsearchUrl == null) {
        out.println("  starting Elasticsearch (embedded, data in " + dataDir.resolve("elasticsearch") + ")…");
        elasticsearch = CompletableFuture.supplyAsync(() -> {
          try {
            return EmbeddedElasticsearch.start(dataDir.resolve("elasticsearch"), 0, line -> out.println("  " + line));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } else {
        infra.elasticsearchUrl = elasticsearchUrl;
      }
      if (redisUrl == null) {
        var redis = EmbeddedRedis.start(dataDir.resolve("redis"), 0, true);
        infra.started.add(redis);
        infra.redisUrl = redis.url();
        out.println("  Redis          " + redis.url() + " (embedded, append-only file in " + dataDir.resolve("redis") + ")");
      } else {
        infra.redisUrl = redisUrl;
      }
      if (mqttUrl == null) {
        var mqtt = EmbeddedMqttBroker.start(dataDir.resolve("mqtt"), 0);
        infra.started.add(mqtt);
        infra.mqttUrl = mqtt.url();
        out.println("  MQTT broker    " + mqtt.url() + " (embedded)");
      } else {
        infra.mqttUrl = mqttUrl;
      }
      if (elasticsearch != null) {
        var es = elasticsearch.join();
        infra.started.add(es);
        infra.elasticsearchUrl = es.url();
        out.println("  Elasticsearch  " + es.url() + " (embedded)");
      }
      return infra;
    } catch (IOException | RuntimeException e) {
      infra.close();
      throw new IllegalStateException("could not start the embedded infrastructure: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    var cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    return cause.getMessage();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception ignored) {
        // best effort on the way out: the others must still stop
      }
    }
    started.clear();
  }
}
