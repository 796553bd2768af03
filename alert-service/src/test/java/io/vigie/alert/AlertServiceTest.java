package io.vigie.alert;

import static io.vigie.alert.AlertHarness.at;
import static io.vigie.alert.AlertHarness.temperature;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.AlertHarness.Fleet;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.MeasurementValue;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("The alert service's evaluation")
class AlertServiceTest {
  private static AlertHarness harness;
  /** A client of the test's Redis, to read its command statistics. */
  private static Redis redis;

  @BeforeAll
  static void launch(EmbeddedRedis server) throws Exception {
    harness = new AlertHarness(server.url() + "/8", null);
    redis = Redis.createClient(harness.running.vertx(), server.url() + "/8");
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
  }

  @Test
  @DisplayName("a new tenant starts with a temperature rule above 8 °C for 15 minutes (major): nothing at 10 minutes, an alert at 15, dated then, since the start")
  void defaults() throws Exception {
    var fleet = harness.new Fleet();
    assertThat(harness.evaluate(fleet.paris(1, 0, temperature(9.5))).getJsonArray("alerts")).isEmpty();
    assertThat(harness.evaluate(fleet.paris(2, 10, temperature(9.9))).getJsonArray("alerts")).isEmpty();

    var reply = harness.evaluate(fleet.paris(3, 15, temperature(10.5)));

    assertThat(reply.getJsonArray("alerts")).hasSize(1);
    var alert = harness.nextChange(fleet.paris);
    assertThat(alert.getString("transition")).isEqualTo("opened");
    assertThat(alert.getString("by")).isEqualTo("system");
    assertThat(alert.getString("ruleId")).isEqualTo("default-temperature-above");
    assertThat(alert.getString("kind")).isEqualTo("above");
    assertThat(alert.getString("severity")).isEqualTo("major");
    assertThat(alert.getString("since")).isEqualTo(at(0).toString());
    assertThat(alert.getString("startedAt")).isEqualTo(at(15).toString());
    assertThat(alert.getString("nodeId")).isEqualTo("kitchen-1");
    assertThat(alert.getString("tenantId")).isEqualTo(fleet.tenant);
    assertThat(alert.getString("measurement")).isEqualTo("temperature");
    assertThat(alert.getJsonArray("pathIds")).containsExactly(fleet.tenant, "site-paris", "kitchen-1");
    var effective = harness.get("/api/v1/nodes/" + fleet.tenant + "/effective-rules", fleet.admin()).bodyAsJsonObject();
    assertThat(effective.getJsonArray("rules").stream().map(r -> ((JsonObject) r).getString("id")))
        .containsExactly("default-no-data", "default-temperature-above");
  }

  @Test
  @DisplayName("VIGIE_ALERT_TEMPERATURE_ABOVE sets only the threshold of a new tenant's default rule: at 5 °C, a 6 °C reading "
      + "for 15 minutes opens it (major), and a tenant seeded before keeps its 8 °C")
  void defaultThresholdFromTheEnvironment(EmbeddedRedis server) throws Exception {
    var seededBefore = harness.new Fleet();
    harness.evaluate(seededBefore.paris(1, 0, temperature(4)));
    var five = new AlertHarness(server.url() + "/8", null, Map.of("VIGIE_ALERT_TEMPERATURE_ABOVE", "5"),
        new JsonObject());
    try {
      var fleet = five.new Fleet();
      var rule = five.get("/api/v1/alert-rules/default-temperature-above", fleet.admin()).bodyAsJsonObject();
      assertThat(rule.getDouble("threshold")).isEqualTo(5.0);
      assertThat(rule.getString("for")).isEqualTo("PT15M");
      assertThat(rule.getString("severity")).isEqualTo("major");
      five.evaluate(fleet.paris(1, 0, temperature(6)));
      five.evaluate(fleet.paris(2, 15, temperature(6)));
      var opened = five.nextChange(fleet.paris);
      assertThat(opened.getString("ruleId")).isEqualTo("default-temperature-above");
      assertThat(opened.getString("severity")).isEqualTo("major");

      five.evaluate(seededBefore.paris(2, 1, temperature(6)));
      five.evaluate(seededBefore.paris(3, 20, temperature(6)));
      assertThat(five.noChange(seededBefore.paris)).as("8 °C still, for the tenant seeded before").isNull();
      assertThat(harness.get("/api/v1/alert-rules/default-temperature-above", seededBefore.admin()).bodyAsJsonObject()
          .getDouble("threshold")).isEqualTo(8.0);
    } finally {
      five.stop();
    }
  }

  @Test
  @DisplayName("keeps one alert while the temperature stays above, refreshing its last value without publishing; clears at the threshold")
  void updatesThenClears() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    var id = harness.nextChange(fleet.paris).getString("id");

    var reply = harness.evaluate(fleet.paris(2, 2, temperature(12.25)));

    assertThat(reply.getJsonArray("alerts")).containsExactly(id);
    var stored = harness.get("/api/v1/alerts/" + id, fleet.admin()).bodyAsJsonObject();
    assertThat(stored.getDouble("lastValue")).isEqualTo(12.25);
    assertThat(stored.getString("status")).isEqualTo("active");
    harness.evaluate(fleet.paris(3, 3, temperature(8.0)));
    var cleared = harness.nextChange(fleet.paris);
    assertThat(cleared.getString("id")).isEqualTo(id);
    assertThat(cleared.getString("transition")).isEqualTo("cleared");
    assertThat(cleared.getString("status")).isEqualTo("cleared");
    assertThat(cleared.getString("clearedAt")).isEqualTo(at(3).toString());
    assertThat(cleared.getString("clearedBy")).isEqualTo("system");
    assertThat(harness.alertsOf(fleet.admin(), "?status=active")).isEmpty();

    harness.evaluate(fleet.paris(4, 4, temperature(9.0)));
    assertThat(harness.nextChange(fleet.paris).getString("id")).as("the next breach is a new alert").isNotEqualTo(id);
  }

  @Test
  @DisplayName("ignores a frame counter it has already evaluated, and older ones, with no side effect")
  void idempotent() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(7, 7, temperature(9.5)));
    var id = harness.nextChange(fleet.paris).getString("id");

    var ignored = new JsonObject().put("evaluated", 0).put("alerts", new JsonArray());
    assertThat(harness.evaluate(fleet.paris(7, 7, temperature(3.0)))).isEqualTo(ignored);
    assertThat(harness.evaluate(fleet.paris(6, 6, temperature(3.0)))).isEqualTo(ignored);
    var stored = harness.get("/api/v1/alerts/" + id, fleet.admin()).bodyAsJsonObject();
    assertThat(stored.getString("status")).isEqualTo("active");
    assertThat(stored.getDouble("lastValue")).isEqualTo(9.5);
  }

  @Test
  @DisplayName("evaluates a counter delivered several times at once exactly once")
  void concurrentRedelivery() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var bus = harness.running.vertx().eventBus();
    var replies = new ArrayList<Future<Message<JsonObject>>>();
    for (int i = 0; i < 10; i++) {
      replies.add(bus.request(Addresses.MEASUREMENT_STORED, AlertHarness.batch(fleet.paris(3, 3, temperature(9.5)))));
    }
    Future.all(replies).await(20, SECONDS);

    assertThat(replies.stream().mapToInt(r -> r.result().body().getInteger("evaluated")).sum()).isEqualTo(1);
    assertThat(harness.alertsOf(fleet.admin(), "")).hasSize(1);
    assertThat(harness.nextChange(fleet.paris).getString("transition")).isEqualTo("opened");
    assertThat(harness.noChange(fleet.paris)).as("one opening published").isNull();
  }

  @Test
  @DisplayName("a batch is evaluated in order, device by device: an opening and a clearing in one batch are both published; the same batch again evaluates nothing")
  void batchInOrder() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var batch = new JsonObject[] {fleet.paris(1, 1, temperature(9.5)), fleet.lyon(1, 1, temperature(10.5)),
        fleet.paris(2, 2, temperature(12.0)), fleet.paris(3, 3, temperature(4.0)), fleet.lyon(2, 2, temperature(11.0))};

    assertThat(harness.evaluate(batch).getInteger("evaluated")).isEqualTo(5);
    var opened = harness.nextChange(fleet.paris);
    var cleared = harness.nextChange(fleet.paris);
    assertThat(cleared.getString("id")).isEqualTo(opened.getString("id"));
    assertThat(cleared.getDouble("lastValue")).isEqualTo(4.0);
    var lyon = harness.nextChange(fleet.lyon);
    assertThat(harness.get("/api/v1/alerts/" + lyon.getString("id"), fleet.admin()).bodyAsJsonObject().getDouble("lastValue"))
        .isEqualTo(11.0);

    assertThat(harness.evaluate(batch).getInteger("evaluated")).as("a re-delivered batch").isZero();
    assertThat(harness.noChange(fleet.paris)).as("nothing published twice").isNull();
  }

  @Test
  @DisplayName("once its rules and devices are known, a batch of one device costs ONE Redis command: one EVALSHA of the commit script, no read, never the script's text")
  void oneRoundTripPerBatch() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(5.0))); // loads the rules and the device's state
    var before = commandStats();

    var reply = harness.evaluate(fleet.paris(2, 2, temperature(9.5)), fleet.paris(3, 3, temperature(9.7)),
        fleet.paris(4, 4, temperature(4.0)), fleet.paris(5, 5, temperature(9.9)), fleet.paris(6, 6, temperature(3.0)));

    var after = commandStats();
    assertThat(reply.getInteger("evaluated")).isEqualTo(5);
    assertThat(after.get("evalsha") - before.get("evalsha")).isEqualTo(1);
    for (var command : List.of("mget", "hgetall", "eval", "script", "multi", "exec")) {
      assertThat(after.getOrDefault(command, 0L)).as(command + " (no read outside the script, no script text)")
          .isEqualTo(before.getOrDefault(command, 0L));
    }
  }

  @Test
  @DisplayName("a batch of 40 devices costs ONE script call for all their commits; a device changed elsewhere meanwhile is reloaded and evaluated again alone, the others stay committed once")
  void oneScriptCallForManyDevices() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var devices = new ArrayList<String>();
    for (int i = 0; i < 40; i++) {
      devices.add(AlertHarness.devEui());
      fleet.device(devices.get(i), fleet.parisPath, "lht65");
    }
    harness.evaluate(devices.stream().map(d -> probe(fleet, d, 1, 5.0)).toArray(JsonObject[]::new)); // loads the states
    var before = commandStats();

    var hot = harness.evaluate(devices.stream().map(d -> probe(fleet, d, 2, devices.indexOf(d) % 2 == 0 ? 9.5 : 4.0))
        .toArray(JsonObject[]::new));

    var after = commandStats();
    assertThat(hot.getInteger("evaluated")).isEqualTo(40);
    assertThat(hot.getJsonArray("alerts")).as("one alert per hot device").hasSize(20);
    assertThat(after.get("evalsha") - before.get("evalsha")).as("script calls for 40 devices").isEqualTo(1);
    for (int i = 0; i < 40; i += 2) {
      assertThat(harness.nextChange(devices.get(i)).getString("transition")).isEqualTo("opened");
    }

    var raced = devices.get(1);
    redis.send(Request.cmd(Command.SET).arg("vigie:{alerts}:fcnt:" + raced).arg("5")).await(10, SECONDS);
    var again = harness.evaluate(devices.stream().map(d -> probe(fleet, d, 6, 3.0)).toArray(JsonObject[]::new));
    assertThat(again.getInteger("evaluated")).as("every device evaluated once, the raced one after a reload").isEqualTo(40);
    assertThat(again.getJsonArray("alerts")).as("the 20 alerts cleared").hasSize(20);
    assertThat(harness.alertsOf(fleet.admin(), "?status=active")).isEmpty();
    assertThat(harness.evaluate(devices.stream().map(d -> probe(fleet, d, 6, 3.0)).toArray(JsonObject[]::new))
        .getInteger("evaluated")).as("the same batch again").isZero();
  }

  private static JsonObject probe(Fleet fleet, String devEui, long fCnt, double celsius) {
    return AlertHarness.measurement(fleet.tenant, devEui, fleet.parisPath, "lht65", fCnt, at(fCnt), temperature(celsius));
  }

  @Test
  @DisplayName("raises nothing for a measurement without temperature")
  void otherMeasurements() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var reply = harness.evaluate(fleet.paris(1, 1, new MeasurementValue("battery", "V", 3.6),
        new MeasurementValue("humidity", "%RH", 95)));

    assertThat(reply).isEqualTo(new JsonObject().put("evaluated", 1).put("alerts", new JsonArray()));
    assertThat(harness.alertsOf(fleet.admin(), "")).isEmpty();
  }

  @Test
  @DisplayName("serves alerts only within the caller's scopes, filtered by node, status, severity and start time")
  void api() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    harness.evaluate(fleet.lyon(1, 30, temperature(10.5)));
    var parisId = harness.nextChange(fleet.paris).getString("id");
    var lyonId = harness.nextChange(fleet.lyon).getString("id");
    var parisViewer = fleet.token(Role.VIEWER, "site-paris");
    var otherTenant = harness.tokens.token(new VigiePrincipal("admin", "other", Role.ADMIN, List.of("other", fleet.tenant)));
    var admin = fleet.admin();

    assertThat(harness.alertsOf(admin, "")).extracting(a -> a.getString("id")).containsExactly(lyonId, parisId);
    assertThat(harness.alertsOf(admin, "?nodeId=site-lyon")).extracting(a -> a.getString("id")).containsExactly(lyonId);
    assertThat(harness.alertsOf(admin, "?nodeId=site-lyon&status=cleared")).isEmpty();
    assertThat(harness.alertsOf(admin, "?severity=major")).hasSize(2);
    assertThat(harness.alertsOf(admin, "?severity=critical")).isEmpty();
    assertThat(harness.alertsOf(admin, "?from=" + at(10))).extracting(a -> a.getString("id")).containsExactly(lyonId);
    assertThat(harness.alertsOf(admin, "?to=" + at(10))).extracting(a -> a.getString("id")).containsExactly(parisId);
    assertThat(harness.alertsOf(parisViewer, "")).extracting(a -> a.getString("id")).containsExactly(parisId);
    assertThat(harness.alertsOf(otherTenant, "")).isEmpty();

    assertThat(harness.get("/api/v1/alerts/" + parisId, parisViewer).statusCode()).isEqualTo(200);
    var outOfScope = harness.get("/api/v1/alerts/" + lyonId, parisViewer);
    assertThat(outOfScope.statusCode()).isEqualTo(404);
    assertThat(outOfScope.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(harness.get("/api/v1/alerts/" + lyonId, otherTenant).statusCode()).isEqualTo(404);
    assertThat(harness.get("/api/v1/alerts/" + UUID.randomUUID(), admin).statusCode()).isEqualTo(404);
    assertThat(harness.get("/api/v1/alerts?status=burning", admin).statusCode()).isEqualTo(400);
    assertThat(harness.get("/api/v1/alerts?severity=hot", admin).statusCode()).isEqualTo(400);
    assertThat(harness.get("/api/v1/alerts?from=yesterday", admin).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("refuses the alerts and rules API without a token or with a token it did not issue")
  void unauthenticated() throws Exception {
    var fleet = harness.new Fleet();
    var foreign = TestTokens.create(harness.running.vertx())
        .token(new VigiePrincipal("admin", fleet.tenant, Role.ADMIN, List.of(fleet.tenant)));

    var none = harness.http.get("/api/v1/alerts").send().await(10, SECONDS);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(harness.get("/api/v1/alerts", foreign).statusCode()).isEqualTo(401);
    assertThat(harness.http.get("/api/v1/alert-rules").send().await(10, SECONDS).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("reports Redis in its readiness")
  void readiness() throws Exception {
    var ready = harness.http.get("/health/ready").send().await(10, SECONDS);

    assertThat(ready.statusCode()).isEqualTo(200);
    var alert = ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
    assertThat(alert.getString("id")).isEqualTo("alert");
    assertThat(alert.getJsonArray("checks").getJsonObject(0)).isEqualTo(new JsonObject().put("id", "redis").put("status", "UP"));
  }

  @Test
  @DisplayName("refuses to start without a Redis URL, saying which setting is missing")
  void needsRedis() {
    var launched = ServiceLauncher.launch(List.of(new AlertService()), Map.of(),
        new JsonObject().put("http", new JsonObject().put("port", 0)));

    assertThatThrownBy(() -> launched.await(30, SECONDS)).hasMessageContaining("redis.url").hasMessageContaining("VIGIE_REDIS_URL");
  }

  /** How many times Redis ran each command so far (INFO commandstats: the commands inside scripts included). */
  private static Map<String, Long> commandStats() throws Exception {
    var stats = redis.send(Request.cmd(Command.INFO).arg("commandstats")).await(10, SECONDS).toString();
    var calls = new HashMap<String, Long>();
    for (var line : stats.split("\\r?\\n")) {
      if (line.startsWith("cmdstat_")) {
        calls.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*$", "$1")));
      }
    }
    return calls;
  }
}
