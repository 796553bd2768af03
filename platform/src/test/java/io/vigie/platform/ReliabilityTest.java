package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.embedded.InfraFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under load against the all-in-one platform, each measured as a row of {@code docs/reliability.md}
 * ({@link ReliabilityRow}; {@code bench/reliability} runs the full version and gathers the rows).
 *
 * <p>Everything is a process of this test's own, on free ports, under {@code target/vigie-test/reliability/}: an
 * Elasticsearch, a Redis with its append-only file, the MQTT broker ({@link BrokerProcess}) and the platform
 * ({@link PlatformJvm}, pointed at the three). A network server sends ChirpStack uplinks at a steady rate
 * ({@link UplinkStream}: HTTP, or MQTT at QoS 1 for the broker's row) for a while, the fault happens, the load goes
 * on for as long again; each scenario has devices of its own. Every uplink accepted must be stored exactly once.
 *
 * <p>The reduced version (the default, in the normal suite) sends 10 uplinks a second for 6 s before and after each
 * fault and freezes Elasticsearch for 15 s; {@code -Dvigie.reliability.full=true}: 25 a second, 30 s, 60 s. Each can be
 * set alone: {@code vigie.reliability.rate}, {@code vigie.reliability.load-seconds},
 * {@code vigie.reliability.freeze-seconds}.
 */
@TestMethodOrder(OrderAnnotation.class)
@DisplayName("Faults under load on the all-in-one platform")
class ReliabilityTest {
  static final boolean FULL = Boolean.getBoolean("vigie.reliability.full");
  static final int RATE = Integer.getInteger("vigie.reliability.rate", FULL ? 25 : 10);
  static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("vigie.reliability.load-seconds", FULL ? 30 : 6));
  static final Duration FREEZE = Duration.ofSeconds(Integer.getInteger("vigie.reliability.freeze-seconds", FULL ? 60 : 15));
  /** The index prefix, the admin's password and the integration secret: "reliability-…". */
  static final String NAME = "reliability";
  static final String INDEX_PREFIX = NAME + "-measurements";
  static final String ADMIN_PASSWORD = NAME + "-admin-password";
  static Path work;
  static int esPort;
  static int redisPort;
  static EmbeddedElasticsearch elasticsearch;
  static EmbeddedRedis redis;
  static BrokerProcess broker;
  static PlatformJvm platform;
  static Vertx vertx;

  /** What these rows were measured with, for the report. */
  static String settings() {
    return String.format(Locale.ROOT, "%d uplinks/s from 4 devices per scenario, %d s of load before and after each fault, "
        + "Elasticsearch frozen for %d s", RATE, LOAD.toSeconds(), FREEZE.toSeconds());
  }

  @BeforeAll
  static void start() throws Exception {
    work = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("reliability");
    InfraFiles.deleteTree(work);
    esPort = FreePorts.find();
    redisPort = FreePorts.find();
    elasticsearch = EmbeddedElasticsearch.start(work.resolve("elasticsearch"), esPort, null);
    redis = EmbeddedRedis.start(work.resolve("redis"), redisPort, true);
    broker = new BrokerProcess(work.resolve("mqtt"), FreePorts.find(), work.resolve("logs")).start();
    platform = new PlatformJvm(Map.of(
        "VIGIE_HTTP_PORT", Integer.toString(FreePorts.find()),
        "VIGIE_DATA_DIR", Files.createDirectories(work.resolve("platform")).toString(),
        "VIGIE_REDIS_URL", redis.url(),
        "VIGIE_ES_URL", elasticsearch.url(),
        "VIGIE_ES_INDEX_PREFIX", INDEX_PREFIX,
        "VIGIE_MQTT_URL", broker.url(),
        "VIGIE_MQTT_CLIENT_ID", "vigie-gateway-" + NAME,
        "VIGIE_UDP_PORT", "off",
        "VIGIE_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "VIGIE_INGEST_TOKEN", NAME + "-ingest-secret"), work.resolve("logs")).start();
    vertx = Vertx.vertx();
    var all = IntStream.rangeClosed(1, 5).boxed().flatMap(n -> devices(n).stream()).toList();
    ClusteredServicesTest.join(UplinkStream.register(new PlatformClient(vertx, platform.port()), ADMIN_PASSWORD, all));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) ClusteredServicesTest.join(vertx.close());
    if (platform != null) platform.close();
    if (broker != null) broker.close();
    if (redis != null) redis.close();
    if (elasticsearch != null) elasticsearch.close();
  }

  /** Scenario {@code n}'s four devices. */
  static List<String> devices(int n) {
    return IntStream.rangeClosed(1, 4).mapToObj(d -> String.format(Locale.ROOT, "0f0f0f0f0f0f%02x%02x", n, d)).toList();
  }

  @Test
  @Order(1)
  @DisplayName("Elasticsearch killed with SIGKILL under load and started again: every uplink accepted is stored "
      + "exactly once")
  void elasticsearchKilled() throws Exception {
    check(measure("Elasticsearch killed (SIGKILL) and restarted", 1, http(), () -> {
      elasticsearch.signal("KILL");
      elasticsearch.close();
      elasticsearch = EmbeddedElasticsearch.start(work.resolve("elasticsearch"), esPort, null);
    }));
  }

  @Test
  @Order(2)
  @DisplayName("Elasticsearch frozen (SIGSTOP: its connections hang) under load, then resumed: every uplink accepted is "
      + "stored exactly once")
  void elasticsearchFrozen() throws Exception {
    check(measure("Elasticsearch frozen (SIGSTOP) for " + FREEZE.toSeconds() + " s, then resumed", 2, http(), () -> {
      elasticsearch.signal("STOP");
      try {
        var frozenAt = System.nanoTime();
        await().atMost(FREEZE.plusMinutes(1)).pollInterval(Duration.ofMillis(200))
            .until(() -> System.nanoTime() - frozenAt >= FREEZE.toNanos());
      } finally {
        elasticsearch.signal("CONT");
      }
    }));
  }

  @Test
  @Order(3)
  @DisplayName("Redis killed with SIGKILL under load and started again on its append-only file: every uplink accepted "
      + "is stored exactly once")
  void redisKilled() throws Exception {
    check(measure("Redis killed (SIGKILL) and restarted (AOF reload)", 3, http(), ReliabilityTest::killRedis));
  }

  /** Redis's process killed, then a new one started on the same port and data (its append-only file). */
  private static void killRedis() throws Exception {
    redis.signal("KILL");
    redis.close();
    redis = EmbeddedRedis.start(work.resolve("redis"), redisPort, true);
  }

  @Test
  @Order(4)
  @DisplayName("the MQTT broker restarted while uplinks are published at QoS 1: every uplink the broker acknowledged is "
      + "stored exactly once")
  void brokerRestarted() throws Exception {
    var mqtt = new MqttUplinks(vertx, "127.0.0.1", broker.port());
    ClusteredServicesTest.join(mqtt.start());
    try {
      check(measure("MQTT broker restarted (SIGTERM, same port and store; uplinks at QoS 1)", 4, mqtt, () -> {
        broker.stop();
        broker.start();
      }));
    } finally {
      ClusteredServicesTest.join(mqtt.close());
    }
  }

  @Test
  @Order(5)
  @DisplayName("the platform killed with SIGKILL under load and started again: every uplink accepted is stored exactly "
      + "once")
  void platformKilled() throws Exception {
    check(measure("Platform killed (SIGKILL) and restarted", 5, http(), () -> {
      platform.kill();
      platform.start();
    }));
  }

  @Test
  @Order(6)
  @DisplayName("through every fault, neither the platform nor the broker logged a password, a secret, a token or a key")
  void noSecretLogged() throws Exception {
    var lines = LogSecrets.logLines(work.resolve("logs"));
    assertThat(lines).as("the processes logged something at all").hasSizeGreaterThan(20);
    assertThat(LogSecrets.leaks(lines, List.of(ADMIN_PASSWORD, platform.env("VIGIE_INGEST_TOKEN")))).isEmpty();
  }

  private static UplinkStream.Transport http() {
    return UplinkStream.http(vertx, platform.port(), platform.env("VIGIE_INGEST_TOKEN"));
  }

  /** The fault: returns once it is over (the process restarted or resumed). */
  interface Fault {
    void run() throws Exception;
  }

  /** The outcome of one scenario: its row (written) and what the sender saw. */
  record Measured(ReliabilityRow row, Path file, Map<Integer, Integer> refused, long strays) {}

  /**
   * Load for {@link #LOAD}, the fault (which returns once it is over: the process restarted or resumed), load for
   * {@link #LOAD} again, then waits until everything accepted is stored (3 min at most) and writes the row.
   */
  static Measured measure(String scenario, int number, UplinkStream.Transport transport, Fault fault)
      throws Exception {
    var devices = devices(number);
    var stream = new UplinkStream(vertx, transport, devices).start(RATE);
    var began = System.nanoTime();
    await().atMost(LOAD.plusMinutes(1)).pollInterval(Duration.ofMillis(200))
        .until(() -> System.nanoTime() - began >= LOAD.toNanos() && !stream.accepted.isEmpty());
    var faultAt = System.nanoTime();
    fault.run();
    var endedAt = System.nanoTime();
    var acceptedByThen = List.copyOf(stream.accepted);
    var refusedByThen = Map.copyOf(stream.others);
    var recovered = storedWithin(acceptedByThen, Duration.ofMinutes(5));
    var recoverySeconds = recovered ? Math.round((System.nanoTime() - endedAt) / 1e8) / 10.0 : -1;
    await().atMost(LOAD.plusMinutes(1)).pollInterval(Duration.ofMillis(200))
        .until(() -> System.nanoTime() - endedAt >= LOAD.toNanos());
    ClusteredServicesTest.join(stream.stop());

    var accepted = List.copyOf(stream.accepted);
    storedWithin(accepted, Duration.ofMinutes(3));
    var copies = UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, accepted);
    var duplicated = copies.values().stream().mapToInt(n -> n - 1).sum();
    var unanswered = List.copyOf(stream.unanswered);
    var unansweredStored = UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, unanswered);
    var strays = UplinkStream.count(elasticsearch.url(), INDEX_PREFIX, devices) - copies.values().stream()
        .mapToInt(Integer::intValue).sum() - unansweredStored.size();
    var refused = new TreeMap<>(stream.others);
    var refusedAfter = new TreeMap<Integer, Integer>();
    refused.forEach((status, n) -> {
      if (n > refusedByThen.getOrDefault(status, 0)) refusedAfter.put(status, n - refusedByThen.getOrDefault(status, 0));
    });
    var note = String.format(Locale.ROOT, "fault over in %.1f s", (endedAt - faultAt) / 1e9)
        + outcomes("not accepted until the fault was over", new TreeMap<>(refusedByThen))
        + outcomes("not accepted after it (answers that came after the fault included)", refusedAfter)
        + note(unanswered.size(), unansweredStored, recovered, strays);
    var row = new ReliabilityRow(scenario, "all-in-one", stream.sent(), accepted.size(), copies.size(), duplicated,
        accepted.size() - copies.size(), stream.slowestAcceptedMs(), recoverySeconds, note);
    return new Measured(row, row.write(), refused, strays);
  }

  /** Whether all of these ids are stored within {@code limit}, polling every half second. */
  private static boolean storedWithin(List<String> ids, Duration limit) {
    try {
      await().atMost(limit).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, ids).size() == ids.size());
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private static String outcomes(String when, Map<Integer, Integer> refused) {
    if (refused.isEmpty()) return "";
    return "; " + when + ": " + refused.entrySet().stream()
        .map(e -> e.getValue() + switch (e.getKey()) {
          case UplinkStream.NOT_REACHED -> " not sent (connection refused or not connected)";
          case -1 -> " without an answer (connection cut or no acknowledgement within 10 s)";
          default -> " answered " + e.getKey();
        })
        .collect(Collectors.joining(", "));
  }

  private static String note(int unanswered, Map<String, Integer> unansweredStored, boolean recovered, long strays) {
    var parts = new java.util.ArrayList<String>();
    if (unanswered > 0) {
      parts.add(unansweredStored.isEmpty() ? "none of those without an answer stored"
          : unansweredStored.size() + " of those without an answer stored anyway (taken just before the cut), "
              + (unansweredStored.values().stream().allMatch(n -> n == 1) ? "each once" : "some more than once"));
    }
    if (!recovered) parts.add("not everything accepted before the end of the fault was stored within 5 min");
    if (strays != 0) parts.add(strays + " documents for these devices that were never sent or accepted");
    return parts.stream().map(part -> "; " + part).collect(Collectors.joining());
  }

  /** Nothing lost, nothing stored twice, nothing else stored, never refused for good (4xx), the row written. */
  private static void check(Measured measured) {
    var row = measured.row();
    assertThat(measured.file()).as("the row is written").exists();
    assertThat(row.accepted()).as("uplinks accepted (%s)", row).isPositive();
    assertThat(row.lost()).as("accepted but not stored (%s)", row).isZero();
    assertThat(row.duplicated()).as("stored more than once (%s)", row).isZero();
    assertThat(measured.strays()).as("documents never sent or accepted (%s)", row).isZero();
    assertThat(measured.refused().keySet()).as("refused during the fault, never for good (4xx): %s", row)
        .allSatisfy(status -> assertThat(status <= UplinkStream.NOT_REACHED || status >= 500).as("status " + status).isTrue());
  }
}
