package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.Probe;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The alert pages of the dashboard in a real Chromium, written against API.md's Alerts routes (rules,
 * effective rules, alerts, ack): a critical rule on the tenant's root, a fridge that warms above it.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The dashboard's alerts, in a browser")
class AlertsPageBrowserTest {
  static final String INGEST_TOKEN = "alerts-page-ingest-secret";
  static final String ADMIN_PASSWORD = "alerts-page-admin-password";
  static final String RULE = "fridge-too-warm";

  static Platform platform;
  static Vertx vertx;
  static Fleet fleet;
  static Browser browser;
  static PlatformClient client;
  static String baseUrl;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-alerts-page").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/12"))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", "alerts-page-measurements"))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-alerts-page-test"))
        .put("udp", new JsonObject().put("port", FreePorts.find()))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    baseUrl = "http://127.0.0.1:" + platform.port();
    vertx = Vertx.vertx();
    client = new PlatformClient(vertx, platform.port());
    fleet = new Fleet(vertx, baseUrl, INGEST_TOKEN, FleetOptions.defaults().withFirstDevice(800));
    join(fleet.register("admin", ADMIN_PASSWORD, 4));
    var token = join(client.token("admin", ADMIN_PASSWORD));
    var rule = join(client.put(token, "/api/v1/alert-rules/" + RULE, new JsonObject().put("nodeId", "default")
        .put("name", "Too warm").put("kind", "above").put("measurement", "temperature").put("threshold", 8.0)
        .put("severity", "critical")));
    assertThat(rule.statusCode()).as(rule.bodyAsString()).isIn(200, 201);
    browser = new Browser(baseUrl);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (vertx != null) vertx.close();
    if (platform != null) platform.close();
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  static void send(Probe probe, long fCnt, double celsius) throws Exception {
    var frame = probe.frame(fCnt, celsius, Instant.now(), Gateways.of(1).receptions());
    var outcome = join(WebhookSender.chirpStack(vertx, baseUrl, INGEST_TOKEN).send(frame));
    assertThat(outcome.delivered()).as(outcome.toString()).isTrue();
  }

  @Test
  @DisplayName("a new critical alert appears live in the list and is announced; acknowledging it with a comment shows it acknowledged, by whom")
  void acknowledgeAnAlert() throws Exception {
    var probe = fleet.probes().get(0);
    var alerts = new LoginPage(browser).login("admin", ADMIN_PASSWORD).openAlerts();

    send(probe, probe.nextFCnt() + 10, 12.0);
    String status = browser.until(Duration.ofSeconds(20), d -> alerts.status(probe.devEui()));
    assertThat(status).isEqualTo("active");
    assertThat(alerts.announcement()).startsWith("New critical alert");
    browser.screenshot("alerts-active");

    alerts.acknowledge(probe.devEui(), "door left open, closed it");
    alerts.filterStatus("acknowledged");
    browser.until(d -> alerts.status(probe.devEui()).equals("acknowledged"));
    assertThat(browser.texts(".alert-item .comment")).anyMatch(text -> text.contains("door left open, closed it"));
    assertThat(browser.texts(".alert-item .alert-facts")).anyMatch(text -> text.contains("acknowledged by admin"));
    browser.screenshot("alerts-acknowledged");

    var token = join(client.token("admin", ADMIN_PASSWORD));
    var listed = join(client.http.get("/api/v1/alerts?status=acknowledged").bearerTokenAuthentication(token).send())
        .bodyAsJsonObject().getJsonArray("alerts");
    assertThat(listed.stream().map(JsonObject.class::cast).filter(a -> a.getString("devEui").equals(probe.devEui())))
        .singleElement().satisfies(a -> assertThat(a.getString("comment")).isEqualTo("door left open, closed it"));
  }

  @Test
  @DisplayName("the fridge page draws the threshold of the rule that applies as a line, and lists the fridge's alerts")
  void thresholdLines() throws Exception {
    var probe = fleet.probes().get(1);
    send(probe, probe.nextFCnt() + 10, 5.0);
    send(probe, probe.nextFCnt() + 11, 9.5);
    var wall = new LoginPage(browser).login("admin", ADMIN_PASSWORD).openPlace(probe.siteId());
    browser.until(d -> wall.temperature(probe.devEui()).startsWith("9.5"));
    assertThat(wall.status(probe.devEui())).isEqualTo("ALERT");
    var fridge = wall.openFridge(probe.devEui());
    browser.until(d -> fridge.chartLegend().stream().anyMatch(label -> label.startsWith("Too warm: above 8")));
    assertThat(browser.texts(".fridge .alert-item [data-test=alert-status]")).contains("active");
    browser.screenshot("fridge-threshold");
  }
}
