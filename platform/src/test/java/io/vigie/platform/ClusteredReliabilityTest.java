package io.vigie.platform;

import static io.vigie.platform.ScaleOutTest.join;
import static io.vigie.platform.ScaleOutTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.platform.ScaleOutTest.FailoverSender;
import io.vigie.platform.ScaleOutTest.Uplinks;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15's clustered faults: every service as JVMs of their own on one Hazelcast cluster (gateway, decoder,
 * enrichment, alert, registry and realtime twice each; the reduced run, one registry and one realtime), a Redis server of their own and the shared Elasticsearch under
 * an index prefix of their own. Under a steady ChirpStack HTTP load, sent through both gateways as a load balancer would
 * ({@link FailoverSender}), one instance of a service gets a SIGKILL, stays down a while and is started again on its
 * ports; then the load stops and every accepted uplink must be stored once. Each service killed writes one
 * {@link ReliabilityRow} ({@code clustered}); the recovery is from the restart of the killed JVM until every uplink
 * accepted before it is stored (0 when the survivors had stored them all by then).
 *
 * <p>One cluster for all rows, started once. The reduced run (the suite) kills the three services on the uplink's
 * path that a kill can hurt most — gateway, decoder, enrichment — with short phases; {@code -Dvigie.reliability.full=true}
 * ({@code bench/reliability}) kills all six with about 30 s of load around each kill. The services' output:
 * {@code target/vigie-test/clustered-faults/<instance>.log}, a restart's {@code <instance>.<n>.log}.
 */
@RealElasticsearch
@DisplayName("Each clustered service killed (SIGKILL) under load and started again loses and duplicates no accepted uplink "
    + "(the suite kills gateway, decoder and enrichment; -Dvigie.reliability.full=true all six)")
@TestMethodOrder(OrderAnnotation.class)
class ClusteredReliabilityTest {
  static final boolean FULL = Boolean.getBoolean("vigie.reliability.full");
  static final int PROBES = FULL ? 80 : 40;
  /** Rounds (one a second, each probe once) before the kill, while the instance is down, and after it is ready again. */
  static final int BEFORE_ROUNDS = FULL ? 10 : 3;
  static final int DOWN_ROUNDS = FULL ? 10 : 1;
  static final int AFTER_ROUNDS = FULL ? 10 : 2;
  /** Every service twice; the reduced run, which kills neither, keeps one registry and one realtime (two JVMs fewer). */
  static final List<String> INSTANCES = FULL
      ? List.of("registry-1", "registry-2", "realtime-1", "realtime-2", "gateway-1", "gateway-2", "decoder-1", "decoder-2",
          "enrichment-1", "enrichment-2", "alert-1", "alert-2")
      : List.of("registry-1", "realtime-1", "gateway-1", "gateway-2", "decoder-1", "decoder-2", "enrichment-1",
          "enrichment-2", "alert-1", "alert-2");
  static final String PREFIX = "reliability-clustered-measurements";
  static final String INGEST_SECRET = "reliability-clustered-ingest-secret";
  static final String ADMIN_PASSWORD = "reliability-clustered-admin-password";

  /** What these rows were measured with, for the report. */
  static String settings() {
    return String.format(java.util.Locale.ROOT, "%d JVMs (%s), %d probes each sending one uplink a second through both "
        + "gateways (a sender that fails over), %d s of load before the kill, %d s down, %d s after the instance is ready "
        + "again", INSTANCES.size(), String.join(", ", INSTANCES), PROBES, BEFORE_ROUNDS, DOWN_ROUNDS, AFTER_ROUNDS);
  }

  static EmbeddedRedis redis;
  static ServiceJvms jvms;
  static Map<String, String> environment;
  static Vertx vertx;
  static String esUrl;
  static Fleet fleet;

  /**
   * The instance killed per service: registry-1, started first, is Hazelcast's master and stays (a master's death costs
   * 5–10 s more, docs/scale-out.md); the others are ordinary members.
   */
  static List<String> victims() {
    return FULL ? List.of("gateway-1", "decoder-1", "enrichment-1", "alert-1", "registry-2", "realtime-1")
        : List.of("gateway-1", "decoder-1", "enrichment-1");
  }

  @BeforeAll
  static void startCluster(EmbeddedElasticsearch elasticsearch) throws Exception {
    var started = System.currentTimeMillis();
    esUrl = elasticsearch.url();
    var workdir = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("clustered-faults");
    redis = EmbeddedRedis.start(workdir.resolve("redis"), 0, false);
    jvms = new ServiceJvms(workdir, INSTANCES);
    environment = Map.of(
        "VIGIE_CLUSTER_NAME", "vigie-clustered-faults-" + ProcessHandle.current().pid(),
        "VIGIE_DATA_DIR", Files.createTempDirectory("vigie-clustered-faults").toString(),
        "VIGIE_REDIS_URL", redis.url(),
        "VIGIE_ES_URL", esUrl,
        "VIGIE_ES_INDEX_PREFIX", PREFIX,
        "VIGIE_ALERT_HISTORY_INDEX", "reliability-clustered-alert-history",
        "VIGIE_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "VIGIE_INGEST_TOKEN", INGEST_SECRET,
        "VIGIE_UDP_PORT", "0");
    jvms.start(List.of("registry-1"), environment);
    awaitReady("registry-1");
    jvms.start(INSTANCES.subList(1, INSTANCES.size()), environment);
    for (var instance : INSTANCES) awaitReady(instance);
    report("%d JVMs ready after %.1f s", INSTANCES.size(), (System.currentTimeMillis() - started) / 1000.0);
    vertx = Vertx.vertx();
    fleet = new Fleet(vertx, jvms.url("registry-1"), INGEST_SECRET, FleetOptions.defaults().withSilence(0).withSeed(15));
    join(fleet.register("admin", ADMIN_PASSWORD, PROBES));
    var token = join(fleet.login("admin", ADMIN_PASSWORD));
    // alerts open and clear all through the run: the alert stage has work on both instances
    ScaleOutTest.put(jvms.url("alert-1") + "/api/v1/alert-rules/reliability-warm", token, new JsonObject()
        .put("nodeId", "default").put("name", "warm fridge").put("kind", "above").put("measurement", "temperature")
        .put("threshold", 6.0).put("clearBelow", 5.0).put("severity", "major"));
    // until every subscription has spread through the cluster a batch may find no consumer (and be sent again): load
    // until three rounds are stored, before any row counts
    var uplinks = new Uplinks(mget());
    var sender = sender(uplinks);
    var timer = vertx.setPeriodic(0, 1000, id -> fleet.sendRound(sender));
    try {
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .until(() -> uplinks.stored() >= 3L * PROBES && uplinks.allStoredAcceptedBefore(System.currentTimeMillis() - 3000));
    } finally {
      vertx.cancelTimer(timer);
    }
    await().atMost(Duration.ofMinutes(1)).until(sender::idle);
    await().atMost(Duration.ofMinutes(1)).until(uplinks::allStored);
    uplinks.close();
    report("warmed up after %.1f s", (System.currentTimeMillis() - started) / 1000.0);
  }

  @Test
  @Order(2)
  @DisplayName("through every kill and restart, no service logged a password, a secret, a token or a key")
  void noSecretLogged() throws Exception {
    var lines = LogSecrets.logLines(Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test"))
        .resolve("clustered-faults"));
    assertThat(lines).as("the services logged something at all").hasSizeGreaterThan(50);
    assertThat(LogSecrets.leaks(lines, List.of(ADMIN_PASSWORD, INGEST_SECRET))).isEmpty();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (jvms != null) jvms.close();
    if (vertx != null) join(vertx.close());
    if (redis != null) redis.close();
  }

  @Order(1)
  @ParameterizedTest(name = "{0} killed and restarted: every uplink accepted meanwhile is stored exactly once")
  @MethodSource("victims")
  void killedAndRestarted(String instance) throws Exception {
    var uplinks = new Uplinks(mget());
    var sender = sender(uplinks);
    sender.phase = instance;
    var rounds = new AtomicInteger();
    var timer = vertx.setPeriodic(0, 1000, id -> {
      rounds.incrementAndGet();
      fleet.sendRound(sender);
    });
    long killedAt;
    long restartedAt;
    long readyAt;
    try {
      awaitRounds(rounds, BEFORE_ROUNDS);
      killedAt = jvms.kill(instance);
      awaitRounds(rounds, DOWN_ROUNDS);
      restartedAt = jvms.restart(instance, environment);
      readyAt = awaitReady(instance);
      awaitRounds(rounds, AFTER_ROUNDS);
    } finally {
      vertx.cancelTimer(timer);
    }
    await().atMost(Duration.ofMinutes(1)).until(sender::idle);
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(uplinks::allStored);
    } catch (ConditionTimeoutException e) {
      // the row says how many are missing
    }
    uplinks.close();

    var service = instance.replaceAll("-\\d+$", "");
    var accepted = (int) uplinks.accepted();
    var stored = (int) uplinks.stored();
    var recoveryMs = uplinks.storedAllAcceptedBefore(restartedAt);
    var note = new ArrayList<String>();
    note.add(String.format(Locale.ROOT, "%s down %.1f s, ready %.1f s after its restart; accepted → stored at most %.1f s",
        instance, (restartedAt - killedAt) / 1000.0, (readyAt - restartedAt) / 1000.0,
        ScaleOutTest.percentile(uplinks.latencies(instance), 1.0) / 1000.0));
    if (!uplinks.refused().isEmpty()) {
      note.add(uplinks.refused().size() + " never accepted: " + uplinks.refused().values().stream()
          .map(String::valueOf).distinct().collect(Collectors.joining("; ")));
    }
    if (recoveryMs < 0) note.add("not every uplink accepted before the restart was stored 90 s after the load stopped");
    var row = new ReliabilityRow("One " + service + " of " + instancesOf(service) + " killed (SIGKILL) and restarted",
        "clustered", (int) uplinks.sent(), accepted, stored, documents(uplinks.acceptedIds()) - stored, accepted - stored,
        uplinks.longestWaitMs(), recoveryMs < 0 ? -1 : recoveryMs / 1000.0, String.join("; ", note));
    report("%s -> %s", row.toJson().encode(), row.write());

    assertThat(uplinks.refused()).as("uplinks refused for good (4xx) or never accepted").isEmpty();
    assertThat(row.accepted()).as("uplinks accepted while %s was killed and restarted", instance)
        .isGreaterThan((BEFORE_ROUNDS + DOWN_ROUNDS + AFTER_ROUNDS) * PROBES * 9 / 10);
    assertThat(row.lost()).as("accepted uplinks not stored (%s)", row).isZero();
    assertThat(row.duplicated()).as("extra documents of accepted uplinks (%s)", row).isZero();
  }

  static void report(String format, Object... args) {
    System.out.println("[clustered-faults] " + String.format(Locale.ROOT, format, args));
  }

  static FailoverSender sender(Uplinks uplinks) {
    return new FailoverSender(vertx, uplinks, List.of(WebhookSender.chirpStack(vertx, jvms.url("gateway-1"), INGEST_SECRET),
        WebhookSender.chirpStack(vertx, jvms.url("gateway-2"), INGEST_SECRET)));
  }

  static String mget() {
    return esUrl + "/" + PREFIX + "-default/_mget?_source=false";
  }

  static long instancesOf(String service) {
    return INSTANCES.stream().filter(i -> i.startsWith(service + "-")).count();
  }

  static void awaitRounds(AtomicInteger rounds, int more) {
    var until = rounds.get() + more;
    await().atMost(Duration.ofMinutes(2)).until(() -> rounds.get() >= until);
  }

  /** Waits until the instance answers ready (failing at once if its process ended); when it did (epoch ms). */
  static long awaitReady(String instance) {
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(jvms.process(instance).isAlive()).as("%s is running (see %s)", instance, jvms.log(instance)).isTrue();
      return status(jvms.url(instance) + "/health/ready") == 200;
    });
    return System.currentTimeMillis();
  }

  /** Documents of these uplink ids in every index of the prefix (one per id stored once). */
  static int documents(List<String> ids) throws Exception {
    ScaleOutTest.HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + PREFIX + "-*/_refresh")).POST(BodyPublishers.noBody())
        .build(), BodyHandlers.discarding());
    var documents = 0;
    for (int from = 0; from < ids.size(); from += 5000) {
      var query = new JsonObject().put("query", new JsonObject().put("ids",
          new JsonObject().put("values", new JsonArray(ids.subList(from, Math.min(ids.size(), from + 5000))))));
      var response = ScaleOutTest.HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + PREFIX + "-*/_count"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString(query.encode())).build(),
          BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      documents += new JsonObject(response.body()).getInteger("count");
    }
    return documents;
  }
}
