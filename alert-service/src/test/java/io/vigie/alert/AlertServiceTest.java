package io.vigie.alert;

import io.vigie.common.auth.TestTokens;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Batch;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("The alert service")
class AlertServiceTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final Map<String, BlockingQueue<JsonObject>> CHANGES = new ConcurrentHashMap<>();

  private static ServiceLauncher.Running running;
  private static TestTokens tokens;
  private static WebClient http;
  /** A client of the test's Redis, to read its command statistics. */
  private static Redis redis;

  /** One tenant with a Paris site and a Lyon site, a probe in each; fresh for every test. */
  private record Fleet(String tenant, String paris, String lyon) {
    static Fleet create() {
      return new Fleet("t" + UUID.randomUUID().toString().substring(0, 8), devEui(), devEui());
    }

    List<PathElement> parisPath() {
      return List.of(new PathElement(tenant, "tenant", "ACME"), new PathElement("site-paris", "site", "Paris"),
          new PathElement("kitchen-1", "room", "Kitchen"));
    }

    List<PathElement> lyonPath() {
      return List.of(new PathElement(tenant, "tenant", "ACME"), new PathElement("site-lyon", "site", "Lyon"));
    }

    JsonObject paris(long fCnt, MeasurementValue... values) {
      return measurement(tenant, paris, parisPath(), fCnt, values);
    }

    JsonObject lyon(long fCnt, MeasurementValue... values) {
      return measurement(tenant, lyon, lyonPath(), fCnt, values);
    }

    String admin() {
      return tokens.token(new VigiePrincipal("admin@" + tenant, tenant, Role.ADMIN, List.of(tenant)));
    }
  }

  @BeforeAll
  static void launch(EmbeddedRedis redis) throws Exception {
    var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", redis.url()));
    running = ServiceLauncher.launch(List.of(new AlertService()), Map.of(), overrides).await(60, SECONDS);
    AlertServiceTest.redis = Redis.createClient(running.vertx(), redis.url());
    tokens = TestTokens.create(running.vertx()).serveJwks(running.vertx());
    running.vertx().eventBus().<JsonObject>consumer(Addresses.ALERT_CHANGED,
            message -> changesOf(message.body().getString("devEui")).add(message.body()))
        .completion().await(10, SECONDS);
    http = WebClient.create(running.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(running.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) running.stop().await(30, SECONDS);
  }

  @Test
  @DisplayName("raises an active alert when a temperature is above the threshold, and publishes it")
  void raises() throws Exception {
    var fleet = Fleet.create();
    var reply = evaluate(fleet.paris(1, temperature(9.5)));

    assertThat(reply.getInteger("evaluated")).isEqualTo(1);
    assertThat(reply.getJsonArray("alerts")).hasSize(1);
    var alert = nextChange(fleet.paris);
    assertThat(alert.getString("id")).isEqualTo(reply.getJsonArray("alerts").getString(0));
    assertThat(alert.getString("status")).isEqualTo("active");
    assertThat(alert.getString("tenant")).isEqualTo(fleet.tenant);
    assertThat(alert.getString("ruleId")).isEqualTo("default-temperature-above");
    assertThat(alert.getString("severity")).isEqualTo("major");
    assertThat(alert.getString("startedAt")).isEqualTo(receivedAt(1).toString());
    assertThat(alert.getDouble("lastValue")).isEqualTo(9.5);
    assertThat(alert.getJsonArray("path")).isEqualTo(fleet.paris(1).getJsonArray("path"));
    assertThat(alert.containsKey("clearedAt")).isFalse();
  }

  @Test
  @DisplayName("keeps one alert while the temperature stays above, updating its last value without publishing")
  void updates() throws Exception {
    var fleet = Fleet.create();
    evaluate(fleet.paris(1, temperature(9.5)));
    var id = nextChange(fleet.paris).getString("id");

    var reply = evaluate(fleet.paris(2, temperature(12.25)));

    assertThat(reply.getJsonArray("alerts")).containsExactly(id);
    var stored = get("/api/v1/alerts/" + id, fleet.admin());
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(stored.bodyAsJsonObject().getDouble("lastValue")).isEqualTo(12.25);
    assertThat(stored.bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(stored.bodyAsJsonObject().getString("startedAt")).isEqualTo(receivedAt(1).toString());
    assertThat(alertsOf(fleet.admin(), "")).extracting(a -> a.getString("id")).containsExactly(id);
    // the next publication of this device is the clearing: the update published nothing
    evaluate(fleet.paris(3, temperature(4.0)));
    var next = nextChange(fleet.paris);
    assertThat(next.getString("id")).isEqualTo(id);
    assertThat(next.getString("status")).isEqualTo("cleared");
  }

  @Test
  @DisplayName("ignores a frame counter it has already evaluated, and older ones, with no side effect")
  void idempotent() throws Exception {
    var fleet = Fleet.create();
    evaluate(fleet.paris(7, temperature(9.5)));
    var id = nextChange(fleet.paris).getString("id");

    var again = evaluate(fleet.paris(7, temperature(3.0)));
    var older = evaluate(fleet.paris(6, temperature(3.0)));

    var ignored = new JsonObject().put("evaluated", 0).put("alerts", new JsonArray());
    assertThat(again).isEqualTo(ignored);
    assertThat(older).isEqualTo(ignored);
    var stored = get("/api/v1/alerts/" + id, fleet.admin()).bodyAsJsonObject();
    assertThat(stored.getString("status")).isEqualTo("active");
    assertThat(stored.getDouble("lastValue")).isEqualTo(9.5);
    evaluate(fleet.paris(8, temperature(2.0)));
    var next = nextChange(fleet.paris);
    assertThat(next.getString("status")).isEqualTo("cleared");
    assertThat(next.getString("clearedAt")).isEqualTo(receivedAt(8).toString());
  }

  @Test
  @DisplayName("evaluates a counter delivered several times at once exactly once")
  void concurrentRedelivery() throws Exception {
    var fleet = Fleet.create();
    var bus = running.vertx().eventBus();
    var replies = new ArrayList<Future<Message<JsonObject>>>();
    for (int i = 0; i < 10; i++) {
      replies.add(bus.request(Addresses.MEASUREMENT_STORED, batch(fleet.paris(3, temperature(9.5)))));
    }
    Future.all(replies).await(20, SECONDS);

    var evaluated = replies.stream().mapToInt(r -> r.result().body().getInteger("evaluated")).sum();
    assertThat(evaluated).isEqualTo(1);
    var alerts = alertsOf(fleet.admin(), "");
    assertThat(alerts).hasSize(1);
    evaluate(fleet.paris(4, temperature(1.0)));
    var next = nextChange(fleet.paris);
    assertThat(next.getString("id")).isEqualTo(alerts.get(0).getString("id"));
    assertThat(next.getString("status")).as("one raise published, then the clearing").isEqualTo("active");
    assertThat(nextChange(fleet.paris).getString("status")).isEqualTo("cleared");
  }

  @Test
  @DisplayName("a batch is evaluated in order, device by device: a raise and a clearing in one batch are both published; the same batch again evaluates nothing")
  void batchInOrder() throws Exception {
    var fleet = Fleet.create();
    var batch = new JsonObject[] {fleet.paris(1, temperature(9.5)), fleet.lyon(1, temperature(10.5)),
        fleet.paris(2, temperature(12.0)), fleet.paris(3, temperature(4.0)), fleet.lyon(2, temperature(11.0))};

    var reply = evaluateAll(batch);

    assertThat(reply.getInteger("evaluated")).isEqualTo(5);
    var raised = nextChange(fleet.paris);
    assertThat(raised.getString("status")).isEqualTo("active");
    var cleared = nextChange(fleet.paris);
    assertThat(cleared.getString("id")).isEqualTo(raised.getString("id"));
    assertThat(cleared.getString("status")).isEqualTo("cleared");
    assertThat(cleared.getDouble("lastValue")).isEqualTo(4.0);
    var lyon = nextChange(fleet.lyon);
    assertThat(lyon.getString("status")).isEqualTo("active");
    assertThat(get("/api/v1/alerts/" + lyon.getString("id"), fleet.admin()).bodyAsJsonObject().getDouble("lastValue"))
        .isEqualTo(11.0);

    assertThat(evaluateAll(batch).getInteger("evaluated")).as("a re-delivered batch").isZero();
    assertThat(changesOf(fleet.paris).poll(200, java.util.concurrent.TimeUnit.MILLISECONDS)).as("nothing published twice").isNull();
  }

  @Test
  @DisplayName("once its devices are known, a batch of one device costs ONE Redis command: one EVALSHA of the commit script, no read, never the script's text")
  void oneRoundTripPerBatch() throws Exception {
    var fleet = Fleet.create();
    evaluate(fleet.paris(1, temperature(5.0))); // loads the device's state
    var before = commandStats();

    var reply = evaluateAll(fleet.paris(2, temperature(9.5)), fleet.paris(3, temperature(9.7)), fleet.paris(4, temperature(4.0)),
        fleet.paris(5, temperature(9.9)), fleet.paris(6, temperature(3.0)));

    var after = commandStats();
    assertThat(reply.getInteger("evaluated")).isEqualTo(5);
    assertThat(after.get("evalsha") - before.get("evalsha")).isEqualTo(1);
    for (var command : List.of("mget", "eval", "script", "multi", "exec")) {
      assertThat(after.getOrDefault(command, 0L)).as(command + " (no read outside the script, no script text)")
          .isEqualTo(before.getOrDefault(command, 0L));
    }
  }

  @Test
  @DisplayName("clears the alert when the temperature is back at the threshold; the next breach is a new alert")
  void clears() throws Exception {
    var fleet = Fleet.create();
    evaluate(fleet.paris(1, temperature(9.5)));
    var id = nextChange(fleet.paris).getString("id");

    var reply = evaluate(fleet.paris(2, temperature(8.0)));

    assertThat(reply.getJsonArray("alerts")).containsExactly(id);
    var cleared = nextChange(fleet.paris);
    assertThat(cleared.getString("id")).isEqualTo(id);
    assertThat(cleared.getString("status")).isEqualTo("cleared");
    assertThat(cleared.getString("clearedAt")).isEqualTo(receivedAt(2).toString());
    assertThat(cleared.getDouble("lastValue")).isEqualTo(8.0);
    assertThat(alertsOf(fleet.admin(), "?status=active")).isEmpty();
    assertThat(alertsOf(fleet.admin(), "?status=cleared")).extracting(a -> a.getString("id")).containsExactly(id);

    evaluate(fleet.paris(3, temperature(9.0)));
    var raisedAgain = nextChange(fleet.paris);
    assertThat(raisedAgain.getString("status")).isEqualTo("active");
    assertThat(raisedAgain.getString("id")).isNotEqualTo(id);
  }

  @Test
  @DisplayName("raises nothing for a measurement without temperature")
  void otherMeasurements() throws Exception {
    var fleet = Fleet.create();
    var reply = evaluate(fleet.paris(1, new MeasurementValue("battery", "V", 3.6),
        new MeasurementValue("humidity", "%RH", 95)));

    assertThat(reply).isEqualTo(new JsonObject().put("evaluated", 1).put("alerts", new JsonArray()));
    assertThat(alertsOf(fleet.admin(), "")).isEmpty();
    // the first publication of this device is the one of the next frame
    evaluate(fleet.paris(2, temperature(9.5)));
    assertThat(nextChange(fleet.paris).getString("startedAt")).isEqualTo(receivedAt(2).toString());
  }

  @Test
  @DisplayName("serves alerts only within the caller's scopes, filtered by node and status")
  void api() throws Exception {
    var fleet = Fleet.create();
    evaluate(fleet.paris(1, temperature(9.5)));
    evaluate(fleet.lyon(1, temperature(10.5)));
    var parisId = nextChange(fleet.paris).getString("id");
    var lyonId = nextChange(fleet.lyon).getString("id");
    var parisViewer = tokens.token(new VigiePrincipal("viewer", fleet.tenant, Role.VIEWER, List.of("site-paris")));
    var otherTenant = tokens.token(new VigiePrincipal("admin", "other", Role.ADMIN, List.of("other", fleet.tenant)));

    assertThat(alertsOf(fleet.admin(), "")).extracting(a -> a.getString("id")).containsExactlyInAnyOrder(parisId, lyonId);
    assertThat(alertsOf(fleet.admin(), "?nodeId=site-lyon")).extracting(a -> a.getString("id")).containsExactly(lyonId);
    assertThat(alertsOf(fleet.admin(), "?nodeId=site-lyon&status=cleared")).isEmpty();
    assertThat(alertsOf(parisViewer, "")).extracting(a -> a.getString("id")).containsExactly(parisId);
    assertThat(alertsOf(parisViewer, "?nodeId=site-lyon")).isEmpty();
    assertThat(alertsOf(otherTenant, "")).isEmpty();

    assertThat(get("/api/v1/alerts/" + parisId, parisViewer).statusCode()).isEqualTo(200);
    var outOfScope = get("/api/v1/alerts/" + lyonId, parisViewer);
    assertThat(outOfScope.statusCode()).isEqualTo(404);
    assertThat(outOfScope.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(get("/api/v1/alerts/" + lyonId, otherTenant).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/alerts/" + UUID.randomUUID(), fleet.admin()).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/alerts?status=burning", fleet.admin()).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("refuses the alerts API without a token or with a token it did not issue")
  void unauthenticated() throws Exception {
    var fleet = Fleet.create();
    var foreign = TestTokens.create(running.vertx())
        .token(new VigiePrincipal("admin", fleet.tenant, Role.ADMIN, List.of(fleet.tenant)));

    var none = http.get("/api/v1/alerts").send().await(10, SECONDS);
    var forged = get("/api/v1/alerts", foreign);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(forged.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("reports Redis in its readiness")
  void readiness() throws Exception {
    var ready = http.get("/health/ready").send().await(10, SECONDS);

    assertThat(ready.statusCode()).isEqualTo(200);
    var alert = ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
    assertThat(alert.getString("id")).isEqualTo("alert");
    assertThat(alert.getJsonArray("checks").getJsonObject(0))
        .isEqualTo(new JsonObject().put("id", "redis").put("status", "UP"));
  }

  @Test
  @DisplayName("refuses to start without a Redis URL, saying which setting is missing")
  void needsRedis() {
    var launched = ServiceLauncher.launch(List.of(new AlertService()),
        Map.of(), new JsonObject().put("http", new JsonObject().put("port", 0)));

    assertThatThrownBy(() -> launched.await(30, SECONDS)).hasMessageContaining("redis.url")
        .hasMessageContaining("VIGIE_REDIS_URL");
  }

  /** A batch of one stored measurement; the reply. */
  private static JsonObject evaluate(JsonObject measurement) throws Exception {
    return evaluateAll(measurement);
  }

  private static JsonObject evaluateAll(JsonObject... measurements) throws Exception {
    return running.vertx().eventBus().<JsonObject>request(Addresses.MEASUREMENT_STORED, batch(measurements))
        .await(10, SECONDS).body();
  }

  private static JsonObject batch(JsonObject... measurements) {
    return new JsonObject().put(Batch.MEASUREMENTS, new JsonArray(List.of(measurements)));
  }

  /** How many times Redis ran each command so far (INFO commandstats: the commands inside scripts included). */
  private static Map<String, Long> commandStats() throws Exception {
    var stats = redis.send(Request.cmd(Command.INFO).arg("commandstats")).await(10, SECONDS).toString();
    var calls = new java.util.HashMap<String, Long>();
    for (var line : stats.split("\\r?\\n")) {
      if (line.startsWith("cmdstat_")) {
        calls.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*$", "$1")));
      }
    }
    return calls;
  }

  private static JsonObject nextChange(String devEui) throws InterruptedException {
    var change = changesOf(devEui).poll(10, SECONDS);
    assertThat(change).as("alert.changed for " + devEui).isNotNull();
    return change;
  }

  private static BlockingQueue<JsonObject> changesOf(String devEui) {
    return CHANGES.computeIfAbsent(devEui, d -> new LinkedBlockingQueue<>());
  }

  private static HttpResponse<Buffer> get(String path, String token) throws Exception {
    return http.get(path).bearerTokenAuthentication(token).send().await(10, SECONDS);
  }

  private static List<JsonObject> alertsOf(String token, String query) throws Exception {
    var response = get("/api/v1/alerts" + query, token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  private static MeasurementValue temperature(double value) {
    return new MeasurementValue("temperature", "Cel", value);
  }

  private static Instant receivedAt(long fCnt) {
    return T0.plusSeconds(fCnt * 60);
  }

  private static JsonObject measurement(String tenant, String devEui, List<PathElement> path, long fCnt,
                                        MeasurementValue... values) {
    return new Measurement(devEui, fCnt, 2, receivedAt(fCnt), "chirpstack-v4", List.of(), new JsonObject(),
        List.of(values), List.of(), tenant, new JsonObject().put("name", "probe").put("type", "lht65"), path).toJson();
  }

  private static String devEui() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }
}
