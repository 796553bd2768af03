package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The six services as six separate JVM processes, clustered with Hazelcast over loopback, as
 * they run on Kubernetes: an uplink posted to the gateway process crosses every other process.
 */
@RealRedis
@RealElasticsearch
@DisplayName("Six services as separate clustered processes")
class ClusteredServicesTest {
  static final String DEV_EUI = "0202020202020202";
  static final Map<String, String> MAINS = new LinkedHashMap<>();
  static {
    MAINS.put("registry", "io.vigie.registry.Main");
    MAINS.put("decoder", "io.vigie.decoder.Main");
    MAINS.put("enrichment", "io.vigie.enrichment.Main");
    MAINS.put("alert", "io.vigie.alert.Main");
    MAINS.put("realtime", "io.vigie.realtime.Main");
    MAINS.put("gateway", "io.vigie.gateway.Main");
  }

  static final List<Process> processes = new ArrayList<>();
  static final Map<String, Integer> httpPorts = new LinkedHashMap<>();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Vertx vertx;
  static String esUrl;

  @BeforeAll
  static void startProcesses(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch) throws Exception {
    esUrl = elasticsearch.url();
    var logs = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("cluster");
    Files.createDirectories(logs);
    var dataDir = Files.createTempDirectory("vigie-cluster");
    var clusterPorts = new LinkedHashMap<String, Integer>();
    MAINS.keySet().forEach(name -> {
      clusterPorts.put(name, FreePorts.find());
      httpPorts.put(name, FreePorts.find());
    });
    var members = clusterPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    var java = ProcessHandle.current().info().command().orElse("java");
    for (var service : MAINS.entrySet()) {
      var builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), service.getValue())
          .redirectErrorStream(true)
          .redirectOutput(logs.resolve(service.getKey() + ".log").toFile());
      var env = builder.environment();
      env.put("VIGIE_CLUSTER", "true");
      env.put("VIGIE_CLUSTER_HOST", "127.0.0.1");
      env.put("VIGIE_CLUSTER_NAME", "vigie-test-" + ProcessHandle.current().pid());
      env.put("VIGIE_CLUSTER_PORT", String.valueOf(clusterPorts.get(service.getKey())));
      env.put("VIGIE_CLUSTER_MEMBERS", members);
      env.put("VIGIE_HTTP_PORT", String.valueOf(httpPorts.get(service.getKey())));
      env.put("VIGIE_DATA_DIR", dataDir.toString());
      env.put("VIGIE_REDIS_URL", redis.url() + "/2");
      env.put("VIGIE_ES_URL", elasticsearch.url());
      env.put("VIGIE_ES_INDEX_PREFIX", "cluster-measurements");
      env.put("VIGIE_ADMIN_PASSWORD", "cluster-admin-password");
      env.put("VIGIE_INGEST_TOKEN", "cluster-ingest-secret");
      env.put("VIGIE_UDP_PORT", "0");
      processes.add(builder.start());
    }
    vertx = Vertx.vertx();
    for (var service : httpPorts.entrySet()) {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> status(service.getValue(), "/health/live") == 200);
    }
  }

  @AfterAll
  static void stopProcesses() throws Exception {
    processes.forEach(Process::destroy);
    for (var process : processes) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
    if (vertx != null) vertx.close();
  }

  static int status(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an uplink posted to the gateway process is decoded, enriched, stored and pushed by the other processes")
  void uplinkCrossesTheCluster() throws Exception {
    var registry = new PlatformClient(vertx, httpPorts.get("registry"));
    var gateway = new PlatformClient(vertx, httpPorts.get("gateway"));
    var realtime = new PlatformClient(vertx, httpPorts.get("realtime"));

    var token = join(registry.token("admin", "cluster-admin-password"));
    join(registry.registerFridge(token, DEV_EUI));

    var live = join(realtime.sockJs());
    join(live.register("telemetry.device." + DEV_EUI, token));
    await().atMost(Duration.ofSeconds(60)).until(() -> allowedSubscriptions(httpPorts.get("realtime")) >= 1);

    // Subscriptions spread through the cluster within moments of the processes starting: until every
    // stage sees the next one, the gateway answers 503 and the network server would retry. So does this
    // test, each time with the next frame counter, the way a device keeps sending.
    var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
    uplink.getJsonObject("deviceInfo").put("devEui", DEV_EUI.toUpperCase());
    var fCnt = new java.util.concurrent.atomic.AtomicLong(100);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      uplink.put("fCnt", fCnt.incrementAndGet());
      var answer = join(gateway.uplink("cluster-ingest-secret", uplink));
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isIn(202, 503);
      return answer.statusCode() == 202;
    });
    var id = DEV_EUI + String.format("-%08x", fCnt.get());

    await().atMost(Duration.ofSeconds(30)).until(() -> live.received("telemetry.device." + DEV_EUI).stream()
        .anyMatch(frame -> id.equals(frame.getJsonObject("body").getString("id"))));
    var pushed = live.received("telemetry.device." + DEV_EUI).stream()
        .filter(frame -> id.equals(frame.getJsonObject("body").getString("id"))).findFirst().orElseThrow()
        .getJsonObject("body");
    assertThat(pushed.getString("tenant")).isEqualTo("default");
    assertThat(pushed.getJsonArray("measurements").getJsonObject(0).getDouble("value")).isEqualTo(23.5);

    HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/cluster-measurements-*/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    var count = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/cluster-measurements-*/_count?q=_id:" + id))
        .build(), BodyHandlers.ofString());
    assertThat(new io.vertx.core.json.JsonObject(count.body()).getInteger("count")).as(count.body()).isEqualTo(1);
  }

  static double allowedSubscriptions(int port) throws Exception {
    var body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith("vigie_realtime_subscriptions_total") && l.contains("outcome=\"allowed\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
