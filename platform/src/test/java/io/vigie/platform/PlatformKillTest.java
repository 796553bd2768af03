package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The platform process killed with SIGKILL while uplinks arrive, then started again: what it answered 202 was in the
 * ingest log (Redis, which the kill does not touch), and the new process stores every one of them exactly once.
 *
 * <p>The platform runs as a child JVM ({@code io.vigie.platform.Main}, as {@code ./vigie} runs it) pointed at the
 * Redis, Elasticsearch and MQTT broker of {@code testing} ({@code VIGIE_REDIS_URL}, {@code VIGIE_ES_URL},
 * {@code VIGIE_MQTT_URL}), so they survive the kill. Its output: {@code target/vigie-test/kill/platform-<n>.log}.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The platform killed with SIGKILL mid-stream and started again")
class PlatformKillTest {
  static final List<String> DEVICES = List.of("0e0e0e0e0e0e0e01", "0e0e0e0e0e0e0e02", "0e0e0e0e0e0e0e03", "0e0e0e0e0e0e0e04");
  static final String INDEX_PREFIX = "kill-measurements";
  static Map<String, String> environment;
  static Path logs;
  static int port;
  static String esUrl;
  static Vertx vertx;
  static Process running;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    esUrl = elasticsearch.url();
    port = FreePorts.find();
    logs = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("kill");
    Files.createDirectories(logs);
    environment = Map.of(
        "VIGIE_HTTP_PORT", Integer.toString(port),
        "VIGIE_DATA_DIR", Files.createTempDirectory("vigie-kill").toString(),
        "VIGIE_REDIS_URL", redis.url() + "/6",
        "VIGIE_ES_URL", esUrl,
        "VIGIE_ES_INDEX_PREFIX", INDEX_PREFIX,
        "VIGIE_MQTT_URL", mqtt.url(),
        "VIGIE_MQTT_CLIENT_ID", "vigie-gateway-kill-test",
        "VIGIE_UDP_PORT", "off",
        "VIGIE_ADMIN_PASSWORD", "kill-admin-password",
        "VIGIE_INGEST_TOKEN", "kill-ingest-secret");
    vertx = Vertx.vertx();
    running = startPlatform(1);
    ClusteredServicesTest.join(UplinkStream.register(new PlatformClient(vertx, port), environment.get("VIGIE_ADMIN_PASSWORD"), DEVICES));
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) {
      running.destroy();
      if (!running.waitFor(30, TimeUnit.SECONDS)) running.destroyForcibly();
    }
    if (vertx != null) ClusteredServicesTest.join(vertx.close());
  }

  /** Starts the platform process and waits until it is ready. */
  static Process startPlatform(int n) throws Exception {
    var java = ProcessHandle.current().info().command().orElse("java");
    var builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
        .redirectErrorStream(true).redirectOutput(logs.resolve("platform-" + n + ".log").toFile());
    builder.environment().putAll(environment);
    var process = builder.start();
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
      assertThat(process.isAlive()).as("platform " + n + " is running (see " + logs + ")").isTrue();
      return ClusteredServicesTest.status(port, "/health/ready") == 200;
    });
    return process;
  }

  @Test
  @DisplayName("every uplink answered 202 before the kill or after the restart is stored exactly once")
  void everyAcceptedUplinkStoredOnce() throws Exception {
    var stream = new UplinkStream(vertx, port, environment.get("VIGIE_INGEST_TOKEN"), DEVICES).start(20);
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.accepted.size() >= 60);

    running.destroyForcibly();   // SIGKILL: no shutdown hook, no lease released, batches in flight cut
    assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
    var beforeKill = stream.accepted.size();
    var storedAtKill = UplinkStream.copies(esUrl, INDEX_PREFIX, List.copyOf(stream.accepted)).size();

    running = startPlatform(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.accepted.size() >= beforeKill + 40);
    ClusteredServicesTest.join(stream.stop());
    var accepted = List.copyOf(stream.accepted);
    assertThat(accepted).doesNotHaveDuplicates();
    assertThat(stream.others.keySet()).as("refused while the platform was down or starting, never a 4xx")
        .allSatisfy(status -> assertThat(status == -1 || status >= 500).as("status " + status).isTrue());

    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> UplinkStream.copies(esUrl, INDEX_PREFIX, accepted).size() == accepted.size());
    var copies = UplinkStream.copies(esUrl, INDEX_PREFIX, accepted);
    assertThat(copies.entrySet()).as("each id stored once (" + storedAtKill + " of " + beforeKill + " were stored at the kill)")
        .allSatisfy(entry -> assertThat(entry.getValue()).isEqualTo(1));
    // a request cut by the kill after its append but before its 202 may be stored too: at most once, and nothing else
    var unanswered = List.copyOf(stream.unanswered);
    assertThat(UplinkStream.copies(esUrl, INDEX_PREFIX, unanswered).values()).as("an unanswered uplink stored at most once")
        .allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(UplinkStream.count(esUrl, INDEX_PREFIX, DEVICES)).as("nothing else stored for these devices")
        .isBetween((long) accepted.size(), (long) accepted.size() + UplinkStream.copies(esUrl, INDEX_PREFIX, unanswered).size());
  }
}
