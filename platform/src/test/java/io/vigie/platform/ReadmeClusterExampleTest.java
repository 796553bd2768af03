package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The root README's "Run services separately (clustered)" example, run as written: the shell block between its
 * {@code clustered-example} markers, with bash, from the repository's folder. Only what the block itself reads with a
 * default is given (the Redis and Elasticsearch URLs, the first ports, the cluster name, the log folder), plus the
 * variables of the README's table a user would set (secrets, data folder, no UDP port).
 */
@RealRedis
@RealElasticsearch
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The README's clustered example, run as written")
class ReadmeClusterExampleTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final List<String> SERVICES = List.of("device-registry", "decoder", "enrichment", "alert", "realtime", "gateway");
  static final String DEV_EUI = "0303030303030303";
  static final String INGEST_SECRET = "readme-ingest-secret";
  static final String ADMIN_PASSWORD = "readme-admin-password";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final Pattern BLOCKED = Pattern.compile("has been blocked for (\\d+) ms");
  static final Pattern EXITED = Pattern.compile("exited (\\d+) (\\d+)");

  static Process shell;
  static final Map<Long, Integer> exits = new ConcurrentHashMap<>();
  static final List<Process> restarted = new ArrayList<>();
  static final Map<String, Integer> httpPorts = new LinkedHashMap<>();
  static final AtomicLong fCnt = new AtomicLong(100);
  static Vertx vertx;
  static String esUrl;
  static Path logs;

  @BeforeAll
  static void runTheExample(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch) throws Exception {
    esUrl = elasticsearch.url();
    for (var service : SERVICES) {
      var jar = jar(service);
      assertThat(jar).as("the example runs the packaged jars: ./mvnw package -DskipTests first").exists();
      assertThat(jar.resolveSibling("lib")).as("the jar's dependencies beside it").isDirectoryContaining("glob:**.jar");
    }
    var httpBase = freeRange(6);
    var clusterBase = freeRange(6);
    for (int i = 0; i < SERVICES.size(); i++) httpPorts.put(SERVICES.get(i), httpBase + i);
    logs = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).toAbsolutePath().resolve("readme-cluster");
    Files.createDirectories(logs);

    // the block, then: report each job that ends (pid and status), and stay until all did
    var script = exampleBlock()
        + "\nwhile true; do unset ended; wait -n -p ended; status=$?; [ -z \"$ended\" ] && break; echo \"exited $ended $status\"; done\n";
    var builder = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile()).redirectErrorStream(true);
    var env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("VIGIE_"));
    env.put("VIGIE_REDIS_URL", redis.url() + "/8");
    env.put("VIGIE_ES_URL", elasticsearch.url());
    env.put("VIGIE_BASE_PORT", String.valueOf(httpBase));
    env.put("VIGIE_BASE_CLUSTER_PORT", String.valueOf(clusterBase));
    env.put("VIGIE_CLUSTER_NAME", "vigie-readme-" + ProcessHandle.current().pid());
    env.put("VIGIE_LOG_DIR", logs.toString());
    env.put("VIGIE_DATA_DIR", Files.createTempDirectory("vigie-readme").toString());
    env.put("VIGIE_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("VIGIE_INGEST_TOKEN", INGEST_SECRET);
    env.put("VIGIE_UDP_PORT", "0");
    env.put("VIGIE_ES_INDEX_PREFIX", "readme-measurements");
    shell = builder.start();
    var reader = new Thread(() -> {
      try (var lines = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          var matcher = EXITED.matcher(line);
          if (matcher.matches()) exits.put(Long.parseLong(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        }
      } catch (IOException ignored) {
        // the shell ended
      }
    }, "readme-example-output");
    reader.setDaemon(true);
    reader.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopEverything() throws Exception {
    var started = new ArrayList<ProcessHandle>();
    if (shell != null) shell.descendants().forEach(started::add);
    restarted.forEach(process -> started.add(process.toHandle()));
    started.forEach(ProcessHandle::destroy);
    for (var process : started) {
      try {
        process.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
    if (shell != null) {
      shell.destroy();
      if (!shell.waitFor(10, TimeUnit.SECONDS)) shell.destroyForcibly();
    }
    if (vertx != null) vertx.close();
  }

  @Test
  @Order(1)
  @DisplayName("every service of the example becomes ready, with its checks, and an uplink crosses them into Elasticsearch")
  void comesUpReadyAndStoresAnUplink() throws Exception {
    for (var service : httpPorts.entrySet()) {
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(status(service.getValue(), "/health/ready"))
              .as(service.getKey() + " ready (log: " + logs.resolve(service.getKey() + ".log") + ")").isEqualTo(200));
      var ready = new JsonObject(get(service.getValue(), "/health/ready"));
      assertThat(ready.getString("status")).isEqualTo("UP");
      assertThat(ready.getJsonArray("checks")).as(service.getKey()).isNotEmpty();
    }
    for (var service : SERVICES) {
      var log = Files.readString(logs.resolve(service + ".log"));
      assertThat(log).as(service + ": the manifest gives Hazelcast its --add-opens").doesNotContain("--add-opens");
      // six JVMs starting at once on a small machine starve each other for a second or two; a blocking call (the
      // Elasticsearch client built on an event loop took 8.5 s) is longer, and Vert.x then logs where it blocks
      assertThat(BLOCKED.matcher(log).results().map(found -> Long.parseLong(found.group(1))))
          .as(service + ": event loops blocked at start (ms)").allMatch(ms -> ms < 5000);
    }

    var registry = new PlatformClient(vertx, httpPorts.get("device-registry"));
    var token = join(registry.token("admin", ADMIN_PASSWORD));
    join(registry.registerFridge(token, DEV_EUI));
    // until every stage sees the next one across the cluster, the gateway answers 503 and a network server retries
    var stored = new String[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      var status = sendUplink(httpPorts.get("gateway"));
      if (status.code == 202) stored[0] = status.id;
      return status.code == 202;
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(storedCount(Set.of(stored[0]))).isEqualTo(1));
  }

  @Test
  @Order(2)
  @DisplayName("a gateway stopped with SIGTERM under load turns unready before it exits with 0, and every uplink it accepted is stored once")
  void gatewayStopsGracefullyUnderLoad() throws Exception {
    var gatewayPort = httpPorts.get("gateway");
    var gateway = jvmOf("gateway");
    var command = gateway.info().command().orElseThrow();
    var arguments = gateway.info().arguments().orElseThrow();
    var environment = environmentOf(gateway.pid());

    var accepted = ConcurrentHashMap.<String>newKeySet();
    var refused = new AtomicLong();
    var loading = new AtomicBoolean(true);
    var load = new Thread(() -> {
      while (loading.get()) {
        var sent = sendUplink(gatewayPort);
        if (sent.code == 202) accepted.add(sent.id);
        else if (sent.code == 503) refused.incrementAndGet();
      }
    }, "uplink-load");
    load.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 50);

    var unreadyWhileAlive = new AtomicBoolean();
    var watching = new AtomicBoolean(true);
    var watcher = new Thread(() -> {
      while (watching.get()) {
        if (gateway.isAlive() && status(gatewayPort, "/health/ready") == 503 && gateway.isAlive()) unreadyWhileAlive.set(true);
      }
    }, "readiness-watch");
    watcher.start();
    gateway.destroy(); // SIGTERM
    await().atMost(Duration.ofSeconds(60)).until(() -> !gateway.isAlive());
    loading.set(false);
    watching.set(false);
    load.join();
    watcher.join();

    assertThat(unreadyWhileAlive).as("readiness answered 503 between SIGTERM and exit").isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey(gateway.pid()));
    assertThat(exits.get(gateway.pid())).as("exit status after SIGTERM").isZero();
    assertThat(Files.readString(logs.resolve("gateway.log"))).contains("partition leases released");

    // a new gateway, the same command and environment: it takes the released partitions at once
    var commandLine = new ArrayList<String>();
    commandLine.add(command);
    commandLine.addAll(List.of(arguments));
    var again = new ProcessBuilder(commandLine)
        .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(logs.resolve("gateway-again.log").toFile());
    again.environment().clear();
    again.environment().putAll(environment);
    restarted.add(again.start());
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> status(gatewayPort, "/health/ready") == 200);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(storedCount(accepted)).as("accepted uplinks stored").isEqualTo(accepted.size()));
  }

  record Sent(int code, String id) {}

  /** One uplink of the device, with the next frame counter; its status (-1 when no answer) and its id. */
  static Sent sendUplink(int port) {
    var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
    uplink.getJsonObject("deviceInfo").put("devEui", DEV_EUI.toUpperCase());
    var counter = fCnt.incrementAndGet();
    uplink.put("fCnt", counter);
    var id = DEV_EUI + String.format("-%08x", counter);
    try {
      var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uplinks/chirpstack?event=up"))
          .header("Authorization", "Bearer " + INGEST_SECRET).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(uplink.encode())).build(),
          BodyHandlers.discarding());
      return new Sent(response.statusCode(), id);
    } catch (Exception e) {
      return new Sent(-1, id);
    }
  }

  /** How many of these measurement documents Elasticsearch holds. */
  static int storedCount(Set<String> ids) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/readme-measurements-*/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    var query = new JsonObject().put("query", new JsonObject().put("ids", new JsonObject().put("values", new JsonArray(List.copyOf(ids)))));
    var count = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/readme-measurements-*/_count"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query.encode())).build(),
        BodyHandlers.ofString());
    return new JsonObject(count.body()).getInteger("count", 0);
  }

  /** The shell block of README.md between the clustered-example markers, without its fences. */
  static String exampleBlock() throws IOException {
    var readme = Files.readString(ROOT.resolve("README.md"));
    var begin = readme.indexOf("<!-- clustered-example:begin -->");
    var end = readme.indexOf("<!-- clustered-example:end -->");
    assertThat(begin).as("README.md marks its clustered example").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    var block = readme.substring(begin, end);
    return block.substring(block.indexOf("```sh") + "```sh".length(), block.lastIndexOf("```"));
  }

  static Path jar(String service) {
    return ROOT.resolve(service + "-service/target/" + service + "-service-0.1.0-SNAPSHOT.jar");
  }

  /** The JVM the example started for this service. */
  static ProcessHandle jvmOf(String service) {
    return shell.descendants().filter(p -> p.info().commandLine().orElse("").contains(service + "-service-0.1.0-SNAPSHOT.jar"))
        .findFirst().orElseThrow();
  }

  static Map<String, String> environmentOf(long pid) throws IOException {
    var environment = new LinkedHashMap<String, String>();
    for (var entry : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
      var equals = entry.indexOf('=');
      if (equals > 0) environment.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return environment;
  }

  /** The first of {@code count} consecutive ports free on every interface. */
  static int freeRange(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      var base = ThreadLocalRandom.current().nextInt(20000, 60000);
      var free = true;
      for (int port = base; port < base + count && free; port++) {
        try (var socket = new ServerSocket()) {
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IllegalStateException("no " + count + " consecutive free ports");
  }

  static int status(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
          BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static String get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString()).body();
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
