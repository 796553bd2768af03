package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Frame;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.UplinkSender;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's scale-out check: gateway, decoder, enrichment and alert twice, registry and realtime once, each a JVM of
 * its own on loopback. The simulator's probes send through both gateways (a frame refused by one goes to the other, as
 * behind a load balancer); mid-stream one gateway and one decoder are killed (SIGKILL) and one enrichment gets a
 * SIGTERM. Every accepted uplink must be stored once, no alert raised or notified twice, and no accepted uplink may
 * wait more than 10 s longer than the uplinks of the phase before the kills. Stored means found by a real-time get of
 * Elasticsearch (no refresh needed), polled every 200 ms: the same small bias in both phases.
 */
@RealRedis
@RealElasticsearch
@DisplayName("Every pipeline service twice, as clustered processes, losing a gateway, a decoder and an enrichment mid-stream")
class ScaleOutTest {
  static final int PROBES = 80;
  static final int BASELINE_ROUNDS = 15;
  static final int ROUNDS_BEFORE_KILLS = 5;
  static final int ROUNDS_AFTER_KILLS = 25;
  static final long ALLOWED_EXTRA_MS = 10_000;
  static final String PREFIX = "scaleout-measurements";
  static final String HISTORY = "scaleout-alert-history";
  static final String INGEST_SECRET = "scaleout-ingest-secret";
  static final String ADMIN_PASSWORD = "scaleout-admin-password";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ServiceJvms jvms;
  static Vertx vertx;
  static String esUrl;
  static HttpServer webhook;
  /** X-Vigie-Delivery → deliveries received; and (alert id, transition) → count. */
  static final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
  static final Map<String, Integer> notified = new ConcurrentHashMap<>();

  @BeforeAll
  static void startProcesses(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch) throws Exception {
    esUrl = elasticsearch.url();
    var logs = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("scale-out");
    jvms = new ServiceJvms(logs, List.of("registry", "realtime", "gateway-1", "gateway-2", "decoder-1", "decoder-2",
        "enrichment-1", "enrichment-2", "alert-1", "alert-2"));
    var environment = Map.of(
        "VIGIE_CLUSTER_NAME", "vigie-scaleout-" + ProcessHandle.current().pid(),
        "VIGIE_DATA_DIR", Files.createTempDirectory("vigie-scaleout").toString(),
        "VIGIE_REDIS_URL", redis.url() + "/10",
        "VIGIE_ES_URL", esUrl,
        "VIGIE_ES_INDEX_PREFIX", PREFIX,
        "VIGIE_ALERT_HISTORY_INDEX", HISTORY,
        "VIGIE_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "VIGIE_INGEST_TOKEN", INGEST_SECRET,
        "VIGIE_UDP_PORT", "0",
        "VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8"); // the test's receiver is on the loopback
    // the registry first: the oldest member is Hazelcast's master, and the death of the master costs 5-10 s more
    // (docs/scale-out.md); the instances killed below are ordinary members
    jvms.start(List.of("registry"), environment);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> status(jvms.url("registry") + "/health/live") == 200);
    jvms.start(jvms.instances().subList(1, jvms.instances().size()), environment);
    vertx = Vertx.vertx();
    webhook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      deliveries.merge(String.valueOf(request.getHeader("X-Vigie-Delivery")), 1, Integer::sum);
      var alert = body.toJsonObject();
      notified.merge(alert.getString("id") + " " + alert.getString("transition") + " " + alert.getString("at"), 1, Integer::sum);
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (var instance : jvms.instances()) {
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
          .until(() -> status(jvms.url(instance) + "/health/live") == 200);
    }
  }

  @AfterAll
  static void stopProcesses() throws Exception {
    if (jvms != null) jvms.close();
    if (vertx != null) vertx.close();
  }

  @Test
  @DisplayName("every accepted uplink is stored once, no alert is raised or notified twice, and none waits 10 s more than before the kills")
  void losingInstancesCostsSecondsAndNothingTwice() throws Exception {
    var fleet = new Fleet(vertx, jvms.url("registry"), INGEST_SECRET, FleetOptions.defaults().withSilence(0).withSeed(14));
    join(fleet.register("admin", ADMIN_PASSWORD, PROBES));
    var token = join(fleet.login("admin", ADMIN_PASSWORD));
    // a warm fridge (a door left open, a defrost) raises an alert at once and clears it once cooled: alerts open and
    // clear all through the run, on both alert instances
    put(jvms.url("alert-1") + "/api/v1/alert-rules/scaleout-warm", token, new JsonObject().put("nodeId", "default")
        .put("name", "warm fridge").put("kind", "above").put("measurement", "temperature").put("threshold", 6.0)
        .put("clearBelow", 5.0).put("severity", "major"));
    put(jvms.url("alert-1") + "/api/v1/notification-channels/scaleout-hook", token, new JsonObject().put("nodeId", "default")
        .put("kind", "webhook").put("url", "http://127.0.0.1:" + webhook.actualPort() + "/hook").put("secret", "scaleout-hook-secret"));

    var uplinks = new Uplinks(esUrl + "/" + PREFIX + "-default/_mget?_source=false");
    var sender = new FailoverSender(vertx, uplinks, List.of(
        WebhookSender.chirpStack(vertx, jvms.url("gateway-1"), INGEST_SECRET),
        WebhookSender.chirpStack(vertx, jvms.url("gateway-2"), INGEST_SECRET)));
    var rounds = new AtomicInteger();
    var timer = vertx.setPeriodic(0, 1000, id -> {
      rounds.incrementAndGet();
      fleet.sendRound(sender);
    });
    try {
      // until every subscription has spread through the cluster, a batch may find no consumer (and be sent again):
      // warm up until the uplinks of three rounds are all stored
      sender.phase = "warm-up";
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .until(() -> uplinks.stored() >= 3 * PROBES && uplinks.allStoredAcceptedBefore(System.currentTimeMillis() - 3000));
      sender.phase = "baseline";
      var baselineEnd = rounds.get() + BASELINE_ROUNDS;
      await().atMost(Duration.ofMinutes(1)).until(() -> rounds.get() >= baselineEnd);
      sender.phase = "kills";
      var killsAt = rounds.get() + ROUNDS_BEFORE_KILLS;
      await().atMost(Duration.ofMinutes(1)).until(() -> rounds.get() >= killsAt);
      var killed = Map.of("gateway-1", LocalTime.now(), "decoder-1", LocalTime.now(), "enrichment-1", LocalTime.now());
      jvms.process("gateway-1").destroyForcibly();   // SIGKILL
      jvms.process("decoder-1").destroyForcibly();   // SIGKILL
      jvms.process("enrichment-1").destroy();        // SIGTERM
      var end = rounds.get() + ROUNDS_AFTER_KILLS;
      await().atMost(Duration.ofMinutes(1)).until(() -> rounds.get() >= end);
      vertx.cancelTimer(timer);
      await().atMost(Duration.ofSeconds(30)).until(sender::idle);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(uplinks::allStored);

      assertThat(uplinks.refused()).as("uplinks refused for good (4xx) or never accepted").isEmpty();
      var baseline = uplinks.latencies("baseline");
      var kills = uplinks.latencies("kills");
      var baselineP99 = percentile(baseline, 0.99);
      var worst = uplinks.worst("kills");
      report("accepted → stored, baseline: %d uplinks, p50 %d ms, p99 %d ms, max %d ms", baseline.size(),
          percentile(baseline, 0.5), baselineP99, percentile(baseline, 1.0));
      report("accepted → stored, kills: %d uplinks, p50 %d ms, p99 %d ms, max %d ms (%s); %d waited over 2 s",
          kills.size(), percentile(kills, 0.5), percentile(kills, 0.99), percentile(kills, 1.0), worst,
          kills.stream().filter(ms -> ms > 2000).count());
      noticed(killed).forEach((instance, ms) -> report("%s's death noticed by the cluster after %d ms", instance, ms));
      assertThat(baseline).hasSizeGreaterThan(BASELINE_ROUNDS * PROBES * 9 / 10);
      assertThat(kills).hasSizeGreaterThan((ROUNDS_BEFORE_KILLS + ROUNDS_AFTER_KILLS) * PROBES * 9 / 10);
      assertThat(percentile(kills, 1.0)).as("the longest wait after the kills, against the baseline's p99 + 10 s (%s)", worst)
          .isLessThanOrEqualTo(baselineP99 + ALLOWED_EXTRA_MS);

      refresh(PREFIX + "-*");
      assertThat(count(PREFIX + "-*")).as("documents stored: one per accepted uplink").isEqualTo(uplinks.accepted());

      var open = alerts(jvms.url("alert-2"), token);
      assertThat(open.stream().collect(Collectors.groupingBy(a -> a.getString("devEui") + " " + a.getString("ruleId"),
          Collectors.counting())).values()).as("open alerts per device and rule").allMatch(n -> n == 1);
      var transitions = history();
      var opened = transitions.stream().filter(t -> "opened".equals(t.getString("transition"))).toList();
      report("alert transitions: %d opened, %d in all; %d alerts open at the end", opened.size(), transitions.size(), open.size());
      assertThat(opened).as("alerts raised during the run").hasSizeGreaterThan(10);
      assertThat(opened.stream().collect(Collectors.groupingBy(t -> t.getString("alertId"), Collectors.counting())).values())
          .as("'opened' transitions per alert").allMatch(n -> n == 1);
      assertRaisedOnlyOnceUntilCleared(transitions);
      await().atMost(Duration.ofSeconds(60)).until(() -> notifiedOpened() >= opened.size());
      assertThat(deliveries.values()).as("webhook deliveries per delivery id").allMatch(n -> n == 1);
      assertThat(notified.values()).as("notifications per alert transition").allMatch(n -> n == 1);
      assertThat(notifiedOpened()).isEqualTo(opened.size());
    } finally {
      vertx.cancelTimer(timer);
      uplinks.close();
    }
  }

  /** Per device and rule, in stream order, an alert opens only when none is open (cleared in between). */
  static void assertRaisedOnlyOnceUntilCleared(List<JsonObject> transitions) {
    var openAlert = new HashMap<String, String>();
    for (var t : transitions) {
      var key = t.getString("devEui") + " " + t.getString("ruleId");
      switch (t.getString("transition")) {
        case "opened" -> {
          assertThat(openAlert.get(key)).as("alert open for %s when %s opened", key, t.getString("alertId")).isNull();
          openAlert.put(key, t.getString("alertId"));
        }
        case "cleared" -> openAlert.remove(key);
        default -> { }
      }
    }
  }

  static long notifiedOpened() {
    return notified.keySet().stream().filter(k -> k.contains(" opened ")).count();
  }

  /** How long after its kill each instance was reported gone by a surviving member (its own log line). */
  static Map<String, Long> noticed(Map<String, LocalTime> killed) throws Exception {
    var lines = Files.readAllLines(jvms.log("gateway-2")).stream().filter(l -> l.contains("cluster: member") && l.contains(" left")).toList();
    var result = new java.util.TreeMap<String, Long>();
    for (var entry : killed.entrySet()) {
      var port = ":" + jvms.clusterPort(entry.getKey()) + " left";
      lines.stream().filter(l -> l.contains(port)).findFirst().ifPresent(l ->
          result.put(entry.getKey(), Duration.between(entry.getValue(), LocalTime.parse(l.substring(0, 12))).toMillis()));
    }
    return result;
  }

  static void report(String format, Object... args) {
    System.out.println("[scale-out] " + String.format(format, args));
  }

  static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) return 0;
    var sorted = values.stream().sorted().toList();
    return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  static List<JsonObject> alerts(String alertUrl, String token) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(alertUrl + "/api/v1/alerts?nodeId=default&status=active"))
        .header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  /** Every transition indexed in the alert history, in stream order, once the history has caught up. */
  static List<JsonObject> history() throws Exception {
    var last = new java.util.concurrent.atomic.AtomicLong(-1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      refresh(HISTORY);
      var now = count(HISTORY);
      return now > 0 && now == last.getAndSet(now);
    });
    var query = new JsonObject().put("size", 10_000).put("query", new JsonObject().put("match_all", new JsonObject()))
        .put("sort", new JsonArray().add(new JsonObject().put("streamMs", "asc")).add(new JsonObject().put("streamSeq", "asc")));
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + HISTORY + "/_search"))
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString(query.encode())).build(), BodyHandlers.ofString());
    return new JsonObject(response.body()).getJsonObject("hits").getJsonArray("hits").stream()
        .map(hit -> ((JsonObject) hit).getJsonObject("_source")).toList();
  }

  static void refresh(String index) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index + "/_refresh")).POST(BodyPublishers.noBody()).build(),
        BodyHandlers.discarding());
  }

  static long count(String index) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index + "/_count")).build(), BodyHandlers.ofString());
    return new JsonObject(response.body()).getLong("count", -1L);
  }

  static void put(String url, String token, JsonObject body) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").PUT(BodyPublishers.ofString(body.encode())).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as("PUT " + url + ": " + response.body()).isBetween(200, 201);
  }

  static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /**
   * Each uplink's phase, when it was first sent, when a gateway accepted it (202, or 200 for a re-delivery of one
   * already appended) and when Elasticsearch first had it: a real-time multi-get of the accepted ids not yet seen,
   * every 200 ms.
   */
  static final class Uplinks implements AutoCloseable {
    private final Map<String, String> phases = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> storedAt = new ConcurrentHashMap<>();
    private final Map<String, Outcome> refused = new ConcurrentHashMap<>();
    private final String mget;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

    Uplinks(String mget) {
      this.mget = mget;
      poller.scheduleWithFixedDelay(this::poll, 200, 200, TimeUnit.MILLISECONDS);
    }

    void sent(String id, String phase) {
      phases.putIfAbsent(id, phase);
      sentAt.putIfAbsent(id, System.currentTimeMillis());
    }

    void accepted(String id) {
      acceptedAt.putIfAbsent(id, System.currentTimeMillis());
    }

    void refused(String id, Outcome outcome) {
      refused.put(id, outcome);
    }

    Map<String, Outcome> refused() {
      return refused;
    }

    long accepted() {
      return acceptedAt.size();
    }

    long stored() {
      return storedAt.size();
    }

    long sent() {
      return sentAt.size();
    }

    List<String> acceptedIds() {
      return List.copyOf(acceptedAt.keySet());
    }

    /** The longest an uplink waited from its first sending to its acceptance (through every gateway tried), ms. */
    long longestWaitMs() {
      return acceptedAt.entrySet().stream().mapToLong(e -> e.getValue() - sentAt.getOrDefault(e.getKey(), e.getValue()))
          .max().orElse(0);
    }

    /**
     * From {@code since} until every uplink accepted before it was stored, ms: 0 when they all were by then; -1 while
     * one is not stored.
     */
    long storedAllAcceptedBefore(long since) {
      var before = acceptedAt.entrySet().stream().filter(e -> e.getValue() < since).map(Map.Entry::getKey).toList();
      if (!storedAt.keySet().containsAll(before)) return -1;
      return Math.max(0, before.stream().mapToLong(id -> storedAt.get(id) - since).max().orElse(0));
    }

    boolean allStored() {
      return storedAt.keySet().containsAll(acceptedAt.keySet());
    }

    boolean allStoredAcceptedBefore(long ms) {
      return acceptedAt.entrySet().stream().filter(e -> e.getValue() < ms).allMatch(e -> storedAt.containsKey(e.getKey()));
    }

    /** Accepted → stored of the phase's uplinks, ms. */
    List<Long> latencies(String phase) {
      return acceptedAt.entrySet().stream().filter(e -> phase.equals(phases.get(e.getKey())) && storedAt.containsKey(e.getKey()))
          .map(e -> Math.max(0, storedAt.get(e.getKey()) - e.getValue())).toList();
    }

    String worst(String phase) {
      return acceptedAt.entrySet().stream().filter(e -> phase.equals(phases.get(e.getKey())) && storedAt.containsKey(e.getKey()))
          .max(Comparator.comparingLong(e -> storedAt.get(e.getKey()) - e.getValue()))
          .map(e -> e.getKey() + " accepted at " + LocalTime.ofNanoOfDay((e.getValue() % 86_400_000L) * 1_000_000L) + " UTC")
          .orElse("none");
    }

    private void poll() {
      try {
        var pending = new ArrayList<String>();
        acceptedAt.keySet().forEach(id -> {
          if (!storedAt.containsKey(id)) pending.add(id);
        });
        for (int from = 0; from < pending.size(); from += 2000) {
          var ids = new JsonArray(pending.subList(from, Math.min(pending.size(), from + 2000)));
          var response = HTTP.send(HttpRequest.newBuilder(URI.create(mget)).header("Content-Type", "application/json")
              .POST(BodyPublishers.ofString(new JsonObject().put("ids", ids).encode())).build(), BodyHandlers.ofString());
          if (response.statusCode() != 200) return;   // no index yet
          var now = System.currentTimeMillis();
          for (var doc : new JsonObject(response.body()).getJsonArray("docs")) {
            var json = (JsonObject) doc;
            if (json.getBoolean("found", false)) storedAt.putIfAbsent(json.getString("_id"), now);
          }
        }
      } catch (Exception e) {
        // Elasticsearch busy: the next poll asks again
      }
    }

    @Override
    public void close() {
      poller.shutdownNow();
    }
  }

  /**
   * Sends each frame to the gateways in turn; one not taken (no answer, 5xx) goes to the next gateway 100 ms later, as
   * a load balancer in front of them would do, until accepted.
   */
  static final class FailoverSender implements UplinkSender {
    private final Vertx vertx;
    private final Uplinks uplinks;
    private final List<WebhookSender> gateways;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    volatile String phase = "warm-up";

    FailoverSender(Vertx vertx, Uplinks uplinks, List<WebhookSender> gateways) {
      this.vertx = vertx;
      this.uplinks = uplinks;
      this.gateways = gateways;
    }

    @Override
    public String name() {
      return "chirpstack";
    }

    boolean idle() {
      return inFlight.get() == 0;
    }

    @Override
    public Future<Outcome> send(Frame frame) {
      uplinks.sent(frame.id(), phase);
      inFlight.incrementAndGet();
      return attempt(frame, next.getAndIncrement(), 1).andThen(done -> inFlight.decrementAndGet());
    }

    private Future<Outcome> attempt(Frame frame, int gateway, int attempt) {
      return gateways.get(Math.floorMod(gateway, gateways.size())).send(frame).compose(outcome -> {
        if (outcome.delivered()) {
          uplinks.accepted(frame.id());
          return Future.succeededFuture(outcome);
        }
        if (outcome.kind() == Outcome.Kind.REJECTED || attempt >= 300) {
          uplinks.refused(frame.id(), outcome);
          return Future.succeededFuture(outcome);
        }
        var again = Promise.<Outcome>promise();
        vertx.setTimer(100, id -> attempt(frame, gateway + 1, attempt + 1).onComplete(again));
        return again.future();
      });
    }
  }
}
