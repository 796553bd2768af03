package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Frame;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.Probe;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulator's failing fridge against the whole platform, with the tenant's default rules: its slow warm drift
 * opens one temperature alert (above 8 °C for 15 minutes, major), which escalates to critical an hour after the
 * temperature went above, is acknowledged by an operator through the API, and clears by itself once the fridge is
 * repaired. The probe reads every 10 minutes of its own time (the frames carry it), so hours pass in seconds.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The failing fridge's alert, from the simulator to the acknowledgement")
class FridgeAlertEndToEndTest {
  static final String INGEST_TOKEN = "fridge-e2e-ingest-secret";
  static final String ADMIN_PASSWORD = "fridge-e2e-admin-password";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration READING = Duration.ofMinutes(10);

  static Platform platform;
  static Vertx vertx;
  static String baseUrl;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-fridge-e2e").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/11"))   // one Redis database per test class (1–7, 11)
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", "fridge-e2e-" + System.nanoTime()))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-gateway-fridge-e2e"))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    baseUrl = "http://127.0.0.1:" + platform.port();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) join(vertx.close());
    if (platform != null) platform.close();
  }

  @Test
  @DisplayName("the drift opens one alert, which escalates, is acknowledged, and clears when the fridge recovers")
  void failingFridge() throws Exception {
    // probe 707: every 7th fridge of the simulator's fleet is failing
    var fleet = new Fleet(vertx, baseUrl, INGEST_TOKEN, FleetOptions.defaults().withFirstDevice(707).withFirstFCnt(1));
    join(fleet.register("admin", ADMIN_PASSWORD, 1));
    var probe = fleet.probes().get(0);
    var token = join(fleet.login("admin", ADMIN_PASSWORD));
    // the probe's readings are hours of its own time, in the past: a no-data timer would see those hours as silence
    var off = send("PUT", "/api/v1/alert-rules/default-no-data", token, new JsonObject().put("nodeId", "default")
        .put("kind", "no-data").put("for", "PT1H").put("severity", "minor").put("enabled", false));
    assertThat(off.statusCode()).as(off.body()).isIn(200, 201);
    var sender = WebhookSender.chirpStack(vertx, baseUrl, INGEST_TOKEN);
    var gateways = Gateways.of(1);
    var time = Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES);

    // the compressor fails: about +0.4 °C per reading, from 4 °C; 8 °C is passed after a hundred minutes or so
    for (int i = 0; i < 24; i++) time = sendReading(sender, probe, gateways, time);
    var alert = await().atMost(Duration.ofSeconds(60)).until(() -> temperatureAlerts(token, probe), list -> list.size() == 1
        && "critical".equals(list.get(0).getString("severity"))).get(0);
    assertThat(alert.getString("status")).isEqualTo("active");
    assertThat(alert.getString("nodeId")).isEqualTo(probe.fridgeId());
    assertThat(Duration.between(Instant.parse(alert.getString("since")), Instant.parse(alert.getString("startedAt"))))
        .as("open once above 8 °C for 15 minutes").isBetween(Duration.ofMinutes(15), Duration.ofMinutes(25));

    var acked = send("POST", "/api/v1/alerts/" + alert.getString("id") + "/ack", token,
        new JsonObject().put("comment", "technician called"));
    assertThat(acked.statusCode()).as(acked.body()).isEqualTo(200);
    assertThat(new JsonObject(acked.body()).getString("status")).isEqualTo("acknowledged");

    probe.repairFridge();
    for (int i = 0; i < 6; i++) time = sendReading(sender, probe, gateways, time);
    var cleared = await().atMost(Duration.ofSeconds(60)).until(() -> temperatureAlerts(token, probe),
        list -> list.size() == 1 && "cleared".equals(list.get(0).getString("status"))).get(0);
    assertThat(cleared.getString("id")).as("still the one alert").isEqualTo(alert.getString("id"));
    assertThat(cleared.getString("clearedBy")).isEqualTo("system");
    assertThat(cleared.getString("ackedBy")).isEqualTo("admin");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var history = new JsonObject(send("GET", "/api/v1/alerts/" + alert.getString("id") + "/history", token, null).body());
      assertThat(history.getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("transition")))
          .containsExactly("opened", "escalated", "acknowledged", "cleared");
    });
  }

  /** The probe's next reading at {@code time}, acknowledged by the platform; the time of the one after. */
  static Instant sendReading(WebhookSender sender, Probe probe, Gateways gateways, Instant time) throws Exception {
    Frame frame = probe.nextFrame(time, gateways.receptions());
    assertThat(join(sender.send(frame)).kind()).isEqualTo(Outcome.Kind.ACKED);
    return time.plus(READING);
  }

  static List<JsonObject> temperatureAlerts(String token, Probe probe) throws Exception {
    var response = send("GET", "/api/v1/alerts?nodeId=" + probe.fridgeId(), token, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .filter(a -> "default-temperature-above".equals(a.getString("ruleId"))).toList();
  }

  static java.net.http.HttpResponse<String> send(String method, String path, String token, JsonObject body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }
}
