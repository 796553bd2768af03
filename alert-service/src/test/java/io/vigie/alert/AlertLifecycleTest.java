package io.vigie.alert;

import static io.vigie.alert.AlertHarness.at;
import static io.vigie.alert.AlertHarness.temperature;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.redis.RedisClients;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@RealElasticsearch
@DisplayName("The alert life cycle")
class AlertLifecycleTest {
  static String redisUrl;
  static AlertHarness harness;
  static Redis redis;

  @BeforeAll
  static void launch(EmbeddedRedis server, EmbeddedElasticsearch elasticsearch) throws Exception {
    launchOn(server.url() + "/10", elasticsearch.url());
  }

  /** One alert service on this Redis (one URL, or a cluster's nodes comma-separated). */
  static void launchOn(String url, String elasticsearchUrl) throws Exception {
    redisUrl = url;
    harness = new AlertHarness(redisUrl, elasticsearchUrl);
    redis = RedisClients.create(harness.running.vertx(), redisUrl);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
  }

  @Test
  @DisplayName("an operator acknowledges then clears with a comment, a viewer cannot (403), another subtree's operator does not see it (404); every transition is in the stream and in the history")
  void ackAndClear() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    var id = harness.nextChange(fleet.paris).getString("id");
    var operator = fleet.token(Role.OPERATOR, "site-paris");
    var viewer = fleet.token(Role.VIEWER, "site-paris");
    var lyonOperator = fleet.token(Role.OPERATOR, "site-lyon");
    harness.clock.set(at(5));

    assertThat(harness.post("/api/v1/alerts/" + id + "/ack", viewer, new JsonObject()).statusCode()).isEqualTo(403);
    assertThat(harness.post("/api/v1/alerts/" + id + "/ack", lyonOperator, new JsonObject()).statusCode()).isEqualTo(404);
    var acked = harness.post("/api/v1/alerts/" + id + "/ack", operator, new JsonObject().put("comment", "door left open"));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject().getString("status")).isEqualTo("acknowledged");
    assertThat(acked.bodyAsJsonObject().getString("ackedBy")).isEqualTo("operator@" + fleet.tenant);
    assertThat(acked.bodyAsJsonObject().getString("ackedAt")).isEqualTo(at(5).toString());
    assertThat(acked.bodyAsJsonObject().getString("comment")).isEqualTo("door left open");
    assertThat(harness.post("/api/v1/alerts/" + id + "/ack", operator, new JsonObject()).statusCode()).isEqualTo(409);
    var event = harness.nextChange(fleet.paris);
    assertThat(event.getString("transition")).isEqualTo("acknowledged");
    assertThat(event.getString("by")).isEqualTo("operator@" + fleet.tenant);

    harness.evaluate(fleet.paris(2, 6, temperature(10.5)));
    assertThat(harness.get("/api/v1/alerts/" + id, viewer).bodyAsJsonObject().getString("status"))
        .as("a new value keeps the acknowledgement").isEqualTo("acknowledged");
    harness.clock.set(at(8));
    assertThat(harness.post("/api/v1/alerts/" + id + "/clear", viewer, new JsonObject()).statusCode()).isEqualTo(403);
    var cleared = harness.post("/api/v1/alerts/" + id + "/clear", operator, new JsonObject().put("comment", "probe moved"));
    assertThat(cleared.statusCode()).isEqualTo(200);
    assertThat(cleared.bodyAsJsonObject().getString("clearedBy")).isEqualTo("operator@" + fleet.tenant);
    assertThat(harness.post("/api/v1/alerts/" + id + "/clear", operator, new JsonObject()).statusCode()).isEqualTo(409);
    assertThat(harness.nextChange(fleet.paris).getString("transition")).isEqualTo("cleared");

    var stream = redis.send(Request.cmd(Command.XRANGE).arg(RedisAlertStore.TRANSITIONS).arg("-").arg("+")).await(10, SECONDS);
    var mine = new ArrayList<JsonObject>();
    stream.forEach(entry -> {
      var alert = new JsonObject(entry.get(1).get(1).toString());
      if (id.equals(alert.getString("id"))) mine.add(alert);
    });
    assertThat(mine).extracting(a -> a.getString("transition")).containsExactly("opened", "acknowledged", "cleared");
    assertThat(mine.get(0).getJsonArray("pathIds")).containsExactly(fleet.tenant, "site-paris", "kitchen-1");
    assertThat(mine.get(0).getString("nodeId")).isEqualTo("kitchen-1");
    assertThat(mine.get(0).getString("tenantId")).isEqualTo(fleet.tenant);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      var history = harness.get("/api/v1/alerts/" + id + "/history", viewer);
      assertThat(history.statusCode()).isEqualTo(200);
      assertThat(history.bodyAsJsonObject().getJsonArray("transitions").stream()
          .map(t -> ((JsonObject) t).getString("transition") + " by " + ((JsonObject) t).getString("by")))
          .containsExactly("opened by system", "acknowledged by operator@" + fleet.tenant, "cleared by operator@" + fleet.tenant);
    });
    assertThat(harness.get("/api/v1/alerts/" + id + "/history", lyonOperator).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("no data for an hour opens an alert by timer with no message arriving, once across two instances; the next message clears it")
  void noData() throws Exception {
    var fleet = harness.new Fleet();
    harness.evaluate(fleet.paris(1, 0, temperature(4)));
    var other = new AlertHarness(redisUrl, null);
    try {
      harness.clock.set(at(59));
      other.clock.set(at(59));
      harness.tick();
      assertThat(harness.noChange(fleet.paris)).as("59 minutes of silence").isNull();

      harness.clock.set(at(61));
      other.clock.set(at(61));
      var fired = Future.all(harness.service.tick(), other.service.tick()).await(10, SECONDS);
      assertThat((int) fired.resultAt(0) + (int) fired.resultAt(1)).isGreaterThanOrEqualTo(1);

      var opened = harness.nextChange(fleet.paris);
      assertThat(opened.getString("kind")).isEqualTo("no-data");
      assertThat(opened.getString("severity")).isEqualTo("minor");
      assertThat(opened.getString("startedAt")).isEqualTo(at(60).toString());
      assertThat(harness.tick() + other.tick()).isZero();
      assertThat(harness.alertsOf(fleet.admin(), "?status=active")).hasSize(1);

      harness.evaluate(fleet.paris(2, 70, temperature(4)));
      var cleared = harness.nextChange(fleet.paris);
      assertThat(cleared.getString("id")).isEqualTo(opened.getString("id"));
      assertThat(cleared.getString("transition")).isEqualTo("cleared");
      assertThat(cleared.getString("clearedAt")).isEqualTo(at(70).toString());
    } finally {
      other.stop();
    }
  }

  @Test
  @DisplayName("a site's own no-data rule (30 minutes, major, same name) replaces the default for its devices only: "
      + "Paris's probe alerts at 30 minutes of silence, Lyon's at the hour, as minor")
  void noDataOverride() throws Exception {
    var fleet = harness.new Fleet();
    var rule = new JsonObject().put("nodeId", "site-paris").put("name", "default-no-data").put("kind", "no-data")
        .put("for", "PT30M").put("severity", "major");
    assertThat(harness.put("/api/v1/alert-rules/paris-probe-silent", fleet.admin(), rule).statusCode()).isEqualTo(201);
    harness.evaluate(fleet.paris(1, 0, temperature(4)), fleet.lyon(1, 0, temperature(4)));

    harness.tickAt(29);
    assertThat(harness.noChange(fleet.paris)).as("29 minutes of silence").isNull();
    harness.tickAt(31);
    assertThat(fields(harness.nextChange(fleet.paris), "ruleId", "severity", "startedAt"))
        .containsExactly("paris-probe-silent", "major", at(30).toString());
    assertThat(harness.noChange(fleet.lyon)).as("Lyon keeps the hour").isNull();
    harness.tickAt(61);
    assertThat(fields(harness.nextChange(fleet.lyon), "ruleId", "severity")).containsExactly("default-no-data", "minor");
    assertThat(harness.noChange(fleet.paris)).as("Paris's alert opened once").isNull();
  }

  @Test
  @DisplayName("escalates the default rule's alert from major to critical an hour after the temperature went above: by timer with no message, or by a measurement")
  void escalation() throws Exception {
    var byTimer = harness.new Fleet();
    harness.evaluate(byTimer.paris(1, 0, temperature(9)));
    harness.evaluate(byTimer.paris(2, 15, temperature(9.5)));
    assertThat(harness.nextChange(byTimer.paris).getString("severity")).isEqualTo("major");
    harness.clock.set(at(59));
    harness.tick();
    assertThat(harness.noChange(byTimer.paris)).isNull();
    harness.clock.set(at(60));
    harness.tick();
    var escalated = harness.nextChange(byTimer.paris);
    assertThat(escalated.getString("transition")).isEqualTo("escalated");
    assertThat(escalated.getString("severity")).isEqualTo("critical");

    var byMeasurement = harness.new Fleet();
    harness.evaluate(byMeasurement.lyon(1, 0, temperature(9)));
    harness.evaluate(byMeasurement.lyon(2, 20, temperature(9.5)));
    harness.evaluate(byMeasurement.lyon(3, 60, temperature(9.5)));
    assertThat(harness.nextChange(byMeasurement.lyon).getString("transition")).isEqualTo("opened");
    var next = harness.nextChange(byMeasurement.lyon);
    assertThat(next.getString("transition")).isEqualTo("escalated");
    assertThat(next.getString("severity")).isEqualTo("critical");
    assertThat(next.getString("at")).isEqualTo(at(60).toString());
  }

  @Test
  @DisplayName("a restart in the middle of a duration neither forgets it nor fires twice")
  void restart() throws Exception {
    var fleet = harness.new Fleet();
    var first = new AlertHarness(redisUrl, null);
    first.evaluate(fleet.paris(1, 0, temperature(9)));
    first.evaluate(fleet.paris(2, 10, temperature(9)));
    first.stop();

    var second = new AlertHarness(redisUrl, null);
    try {
      second.evaluate(fleet.paris(3, 15, temperature(9)));
      var opened = second.nextChange(fleet.paris);
      assertThat(opened.getString("since")).isEqualTo(at(0).toString());
      assertThat(second.evaluate(fleet.paris(3, 15, temperature(9))).getInteger("evaluated")).isZero();
      second.evaluate(fleet.paris(4, 16, temperature(9)));
      assertThat(second.noChange(fleet.paris)).isNull();
      assertThat(harness.alertsOf(fleet.admin(), "")).hasSize(1);
    } finally {
      second.stop();
    }
  }

  @Test
  @DisplayName("50 concurrent uplinks of one device open exactly one alert")
  void fiftyConcurrent() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var replies = new ArrayList<Future<Message<JsonObject>>>();
    for (int i = 1; i <= 50; i++) {
      replies.add(harness.running.vertx().eventBus().request(Addresses.MEASUREMENT_STORED,
          AlertHarness.batch(fleet.paris(i, i, temperature(9 + i / 10.0)))));
    }
    Future.all(replies).await(30, SECONDS);

    assertThat(harness.alertsOf(fleet.admin(), "")).hasSize(1);
    assertThat(harness.nextChange(fleet.paris).getString("transition")).isEqualTo("opened");
    assertThat(harness.noChange(fleet.paris)).isNull();
  }

  @Test
  @DisplayName("two alert-service instances evaluating one device at the same time open exactly one alert")
  void twoInstances() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var other = new AlertHarness(redisUrl, null);
    try {
      var replies = new ArrayList<Future<Message<JsonObject>>>();
      for (int i = 1; i <= 20; i++) {
        var target = i % 2 == 0 ? harness : other;
        replies.add(target.running.vertx().eventBus().request(Addresses.MEASUREMENT_STORED,
            AlertHarness.batch(fleet.paris(i, i, temperature(9.5)))));
      }
      Future.all(replies).await(30, SECONDS);

      assertThat(harness.alertsOf(fleet.admin(), "")).hasSize(1);
      var opened = new ArrayList<JsonObject>();
      for (var instance : List.of(harness, other)) {
        JsonObject change;
        while ((change = instance.noChange(fleet.paris)) != null) opened.add(change);
      }
      assertThat(opened).extracting(c -> c.getString("transition")).containsExactly("opened");
    } finally {
      other.stop();
    }
  }

  @Test
  @DisplayName("a security event of the decoder (replayed counter, MIC failure) becomes a security alert on the device, one open per device and reason")
  void security() throws Exception {
    var fleet = harness.new Fleet();
    var event = new JsonObject().put("kind", "replay").put("devEui", fleet.lyon).put("tenant", fleet.tenant).put("fCnt", 41)
        .put("receivedAt", at(3).toString()).put("source", "chirpstack-v4").put("detail", "counter 41 already seen");

    harness.running.vertx().eventBus().publish(Addresses.UPLINK_SECURITY, event);
    var alert = harness.nextChange(fleet.lyon);
    harness.running.vertx().eventBus().publish(Addresses.UPLINK_SECURITY, event.copy().put("fCnt", 42));

    assertThat(alert.getString("kind")).isEqualTo("security");
    assertThat(alert.getString("ruleId")).isEqualTo("security:replay");
    assertThat(alert.getString("nodeId")).isEqualTo("site-lyon");
    assertThat(alert.getString("startedAt")).isEqualTo(at(3).toString());
    assertThat(harness.noChange(fleet.lyon)).isNull();
    assertThat(harness.alertsOf(fleet.admin(), "?nodeId=site-lyon")).hasSize(1);

    harness.running.vertx().eventBus().publish(Addresses.UPLINK_SECURITY, event.copy().put("kind", "mic-failure").put("fCnt", 43)
        .put("detail", "MIC check failed"));
    var mic = harness.nextChange(fleet.lyon);
    assertThat(mic.getString("kind")).isEqualTo("security");
    assertThat(mic.getString("ruleId")).isEqualTo("security:mic-failure");
    assertThat(mic.getString("severity")).isEqualTo("major");
    assertThat(harness.alertsOf(fleet.admin(), "?nodeId=site-lyon&status=active")).hasSize(2);
  }

  @Test
  @DisplayName("the open alerts of a subtree are answered on the bus (alert.open): active and acknowledged ones, not cleared ones nor another subtree's; a malformed request is a 400")
  void openAlertsOnTheBus() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)), fleet.lyon(1, 1, temperature(9.0)));
    var paris = harness.nextChange(fleet.paris).getString("id");
    var lyon = harness.nextChange(fleet.lyon).getString("id");
    var operator = fleet.token(Role.OPERATOR, fleet.tenant);
    assertThat(harness.post("/api/v1/alerts/" + paris + "/ack", operator, new JsonObject()).statusCode()).isEqualTo(200);

    var site = open(new JsonObject().put("tenant", fleet.tenant).put("nodeId", "site-paris"));
    assertThat(site.getBoolean("complete")).isTrue();
    assertThat(site.getJsonArray("alerts")).hasSize(1);
    var alert = site.getJsonArray("alerts").getJsonObject(0);
    assertThat(alert.getString("id")).isEqualTo(paris);
    assertThat(alert.getString("status")).isEqualTo("acknowledged");
    assertThat(alert.getString("devEui")).isEqualTo(fleet.paris);
    assertThat(alert.getJsonArray("pathIds").getList()).contains("site-paris", "kitchen-1");
    var root = open(new JsonObject().put("tenant", fleet.tenant).put("nodeId", fleet.tenant));
    assertThat(root.getJsonArray("alerts").stream().map(a -> ((JsonObject) a).getString("id"))).containsExactlyInAnyOrder(paris, lyon);
    assertThat(open(new JsonObject().put("tenant", fleet.tenant).put("nodeId", fleet.tenant).put("limit", 1))
        .getBoolean("complete")).as("more open alerts than the limit").isFalse();
    assertThat(open(new JsonObject().put("tenant", "another").put("nodeId", "site-paris")).getJsonArray("alerts")).isEmpty();

    assertThat(harness.post("/api/v1/alerts/" + lyon + "/clear", operator, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(open(new JsonObject().put("tenant", fleet.tenant).put("nodeId", "site-lyon")).getJsonArray("alerts"))
        .as("a cleared alert is not open").isEmpty();
    var malformed = harness.running.vertx().eventBus().request(Addresses.ALERT_OPEN, new JsonObject().put("tenant", fleet.tenant))
        .map(reply -> 200).recover(failure -> Future.succeededFuture(((io.vertx.core.eventbus.ReplyException) failure).failureCode()))
        .await(10, SECONDS);
    assertThat(malformed).isEqualTo(400);
  }

  private static List<String> fields(JsonObject change, String... names) {
    return java.util.Arrays.stream(names).map(change::getString).toList();
  }

  private static JsonObject open(JsonObject request) throws Exception {
    return harness.running.vertx().eventBus().<JsonObject>request(Addresses.ALERT_OPEN, request).await(10, SECONDS).body();
  }
}
