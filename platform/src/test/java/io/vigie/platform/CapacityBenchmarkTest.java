package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.capacity.CapacityOptions;
import io.vigie.simulator.capacity.CapacityReport;
import io.vigie.simulator.capacity.CapacityRun;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/e2e} in a reduced run, in this JVM, against a platform this test starts (the simulator, which holds the
 * benchmark, may not depend on the platform: the platform depends on it). The platform runs in the test's JVM, so the
 * generator's and the platform's CPU figures overlap here; Redis and Elasticsearch are its child processes, as in the
 * embedded platform. Timings are not asserted: only that nothing accepted is lost and every figure is there.
 */
@DisplayName("The end-to-end capacity benchmark (bench/e2e), reduced")
@RealRedis
@RealElasticsearch
@RealMqtt
class CapacityBenchmarkTest {
  @TempDir Path folder;

  @Test
  @DisplayName("loses no accepted uplink and reports every step's counts, latencies, CPU costs and heap, the raw bulk and the targets")
  void quickRun(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var prefix = "capacity-" + Long.toHexString(System.nanoTime());
    var ingestToken = "capacity-ingest-secret";
    var adminPassword = "capacity-admin-password";
    // the platform on the test's servers, its own index prefix, any free ports
    var overrides = new JsonObject(Map.of("http", Map.of("port", 0), "udp", Map.of("port", 0),
        "data", Map.of("dir", folder.resolve("data").toString()), "redis", Map.of("url", redis.url() + "/7"),
        "elasticsearch", Map.of("url", elasticsearch.url(), "indexPrefix", prefix),
        "mqtt", Map.of("url", mqtt.url(), "clientId", "vigie-gateway-" + prefix),
        "auth", Map.of("adminPassword", adminPassword), "ingest", Map.of("token", ingestToken)));
    var results = folder.resolve("RESULTS.md");
    Files.writeString(results, "# Benchmark results\n\nMicro-benchmarks.\n\n## Earlier numbers\nOlder.\n");
    var vertx = Vertx.vertx();
    try (var platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()))) {
      var url = "http://127.0.0.1:" + platform.port();
      var http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
          BodyHandlers.discarding()).statusCode() == 200);
      var options = CapacityOptions.parse(new String[] {"--quick", "--url", url, "--admin-password", adminPassword,
          "--ingest-token", ingestToken, "--es-url", elasticsearch.url(), "--index-prefix", prefix, "--steps", "100,200",
          "--duration", "5s", "--warmup", "2s", "--first-warmup", "3s", "--devices", "100", "--latency-devices", "50",
          "--raw-docs", "500", "--bulk-size", "100", "--results", results.toString()}, Map.of());
      var output = new ByteArrayOutputStream();
      var report = CapacityRun.run(options, vertx, new PrintStream(output, true, StandardCharsets.UTF_8));

      assertThat(report.steps()).extracting(CapacityReport.Step::rate).containsExactly(100, 200);
      assertThat(report.steps()).allSatisfy(step -> {
        assertThat(step.due()).isEqualTo(step.rate() * 5L);
        assertThat(step.accepted()).as("accepted").isPositive();
        assertThat(step.accepted() + step.rejected()).as("every uplink answered").isEqualTo(step.due());
        assertThat(step.stored()).as("zero loss: every accepted uplink stored").isEqualTo(step.accepted());
        assertThat(step.sent()).isPositive();
        assertThat(step.ack()).as("ack p50, p99").hasSize(2).satisfies(ms -> assertThat(Math.min(ms[0], ms[1])).isPositive());
        assertThat(step.toStored()).as("accepted → stored p50, p99").hasSize(2)
            .satisfies(ms -> assertThat(Math.min(ms[0], ms[1])).isNotNegative());
        assertThat(step.latencySamples()).as("measurements pushed live").isPositive();
        assertThat(step.indexed()).isPositive();
        assertThat(step.platformUs()).as("platform core-µs").isPositive();
        assertThat(step.redisUs()).as("Redis core-µs").isPositive();
        assertThat(step.esUs()).as("Elasticsearch core-µs").isPositive();
        assertThat(step.generatorUs()).as("generator core-µs").isPositive();
        assertThat(step.heapMiB()).as("heap").isPositive();
      });
      assertThat(report.rawBulk().documents()).isEqualTo(500);
      assertThat(report.rawBulk().esUs()).as("raw bulk core-µs").isPositive();
      var written = Files.readString(results);
      assertThat(written).contains(CapacityReport.SECTION, "| 100 |", "| 200 |", "Raw `_bulk` of 500 stored documents",
          "platform JVM ≤ 60 core-µs per uplink", "Redis ≤ 10", "1.3 × raw bulk", "8,000 uplinks/s", "≤ 250 ms", "512 MiB",
          "--admin-password …").doesNotContain(adminPassword, ingestToken);
      assertThat(written.indexOf(CapacityReport.SECTION)).as("the section comes before the earlier numbers")
          .isLessThan(written.indexOf("## Earlier numbers"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
