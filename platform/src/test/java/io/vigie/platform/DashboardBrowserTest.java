package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard in a real Chromium against the whole platform: a fleet of simulated probes in Paris, Lyon, Lille
 * and Nantes, an admin and a Lyon-only viewer. Screenshots of every step under {@code target/screenshots/}.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The dashboard, in a browser")
class DashboardBrowserTest {
  static final String INGEST_TOKEN = "dashboard-ingest-secret";
  static final String ADMIN_PASSWORD = "dashboard-admin-password";
  static final String LYON_USER = "lyon-viewer";
  static final String LYON_PASSWORD = "lyon-viewer-password";

  static JsonObject overrides;
  static Platform platform;
  static Vertx vertx;
  static Fleet fleet;
  static Browser browser;
  static String baseUrl;
  /** Counters of the frames this test builds itself, above every counter the fleet used. */
  static final AtomicLong fCnt = new AtomicLong();

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var port = FreePorts.find();   // fixed: the platform comes back on the same port after a restart
    overrides = new JsonObject()
        .put("http", new JsonObject().put("port", port))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-dashboard").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/11"))   // this module's test classes: one database each
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", "dashboard-measurements"))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-dashboard-test"))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
    platform = startPlatform();
    baseUrl = "http://127.0.0.1:" + port;
    vertx = Vertx.vertx();
    fleet = new Fleet(vertx, baseUrl, INGEST_TOKEN, FleetOptions.defaults().withFirstDevice(700));
    join(fleet.register("admin", ADMIN_PASSWORD, 8));   // two fridges in each of Paris, Lyon, Lille, Nantes
    join(fleet.sendRound());
    fCnt.set(fleet.probes().stream().mapToLong(Probe::nextFCnt).max().orElseThrow() + 1000);
    var client = new PlatformClient(vertx, port);
    var token = join(client.token("admin", ADMIN_PASSWORD));
    var created = join(client.post(token, "/api/v1/users", new JsonObject().put("username", LYON_USER)
        .put("password", LYON_PASSWORD).put("role", "viewer").put("scopes", new JsonArray().add("site-lyon"))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    browser = new Browser(baseUrl);
  }

  static Platform startPlatform() throws Exception {
    return Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
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

  static Probe probeIn(String siteId) {
    return fleet.probes().stream().filter(p -> p.siteId().equals(siteId)).findFirst().orElseThrow();
  }

  /** One uplink of {@code probe} reading {@code celsius}, through the ChirpStack integration; 202 expected. */
  static void send(Probe probe, double celsius) throws Exception {
    send(probe, celsius, Instant.now());
  }

  static void send(Probe probe, double celsius, Instant at) throws Exception {
    var frame = probe.frame(fCnt.incrementAndGet(), celsius, at, Gateways.of(1).receptions());
    var outcome = join(WebhookSender.chirpStack(vertx, baseUrl, INGEST_TOKEN).send(frame));
    assertThat(outcome.delivered()).as(outcome.toString()).isTrue();
  }

  /** A day of readings every 20 minutes, as received then: a fridge cycling around 4 °C, its door opened at noon. */
  static void lastDay(Probe probe) throws Exception {
    var now = Instant.now();
    for (int i = 72; i > 0; i--) {
      var celsius = 4 + 0.8 * Math.sin(i / 3.0) + (i == 36 || i == 37 ? 3.5 : 0);
      send(probe, Math.round(celsius * 10) / 10.0, now.minus(Duration.ofMinutes(20L * i)));
    }
  }

  @Test
  @DisplayName("an admin logs in and sees the wall: every site in the tree, a tile per fridge with its temperature and status; the page speaks French too")
  void adminSeesTheWall() {
    var wall = new LoginPage(browser).login("admin", ADMIN_PASSWORD);
    assertThat(wall.places()).contains("default", "site-paris", "site-lyon", "site-lille", "site-nantes");
    browser.until(d -> wall.tiles().size() == 8 && fleet.probes().stream().allMatch(p -> wall.temperature(p.devEui()).contains("°C")));
    assertThat(wall.status(fleet.probes().get(0).devEui())).isIn("OK", "WARNING", "ALERT");
    browser.screenshot("wall");

    wall.switchLanguage("fr");
    browser.until(d -> wall.menuText().contains("Mur") && wall.menuText().contains("Alertes"));
    browser.screenshot("wall-fr");
    wall.switchLanguage("en");
    browser.until(d -> wall.menuText().contains("Wall"));
  }

  @Test
  @DisplayName("a wrong password is refused with a message, and a Lyon-scoped user sees Lyon only: no Paris in the tree nor on the wall")
  void lyonUserSeesLyonOnly() {
    assertThat(new LoginPage(browser).loginRefused(LYON_USER, "not-the-password")).contains("Wrong user name or password");
    browser.screenshot("login-refused");

    var wall = new LoginPage(browser).login(LYON_USER, LYON_PASSWORD);
    browser.until(d -> wall.tiles().size() == 2);
    assertThat(wall.places()).contains("site-lyon").doesNotContain("site-paris", "default", "site-lille");
    var lyon = fleet.probes().stream().filter(p -> p.siteId().equals("site-lyon")).map(Probe::devEui).toList();
    assertThat(wall.tiles()).containsExactlyInAnyOrderElementsOf(lyon);
    assertThat(browser.driver.getPageSource()).doesNotContain("Paris");
    browser.screenshot("wall-lyon-user");

    browser.driver.get(baseUrl + "/#/nodes/site-paris");
    browser.find(By.cssSelector("[data-state=error]"));
    assertThat(wall.tiles()).isEmpty();
  }

  @Test
  @DisplayName("a tile shows a new reading within seconds of the simulator's uplink, without a reload")
  void tileChangesLive() throws Exception {
    var wall = new LoginPage(browser).login("admin", ADMIN_PASSWORD).openPlace("site-paris");
    var probe = probeIn("site-paris");
    browser.until(d -> wall.temperature(probe.devEui()).contains("°C"));
    browser.script("window.vigieNotReloaded = true;");

    send(probe, 6.5);
    browser.until(Duration.ofSeconds(15), d -> wall.temperature(probe.devEui()).replace('\n', ' ').startsWith("6.5"));
    send(probe, -18.4);
    browser.until(Duration.ofSeconds(15), d -> wall.temperature(probe.devEui()).replace('\n', ' ').startsWith("-18.4"));
    assertThat(browser.script("return window.vigieNotReloaded === true")).isEqualTo(true);
    assertThat(wall.tile(probe.devEui()).getText()).contains("Seen");
    browser.screenshot("wall-live");
  }

  @Test
  @DisplayName("the fridge page draws the temperature history with its min–max band, switches ranges and lists the uplinks with their fate")
  void fridgePage() throws Exception {
    var probe = probeIn("site-lille");
    lastDay(probe);
    send(probe, 3.5);
    send(probe, 4.5);
    var wall = new LoginPage(browser).login("admin", ADMIN_PASSWORD).openPlace("site-lille");
    browser.until(d -> wall.temperature(probe.devEui()).startsWith("4.5"));
    var fridge = wall.openFridge(probe.devEui());
    assertThat(fridge.title()).startsWith("Fridge");
    assertThat(fridge.chartLegend()).contains("Average °C", "Min °C", "Max °C");
    assertThat(fridge.uplinkFates()).first().isEqualTo("stored");
    browser.screenshot("fridge");

    fridge.range("1h");
    assertThat(fridge.chartLegend()).contains("Average °C");
    send(probe, 5.5);
    browser.until(Duration.ofSeconds(15), d -> fridge.temperature().startsWith("5.5"));
    browser.screenshot("fridge-1h-live");
  }

  @Test
  @DisplayName("while the server is stopped the page shows the offline banner; after it restarts, live values come back with no reload")
  void offlineBannerAndRecovery() throws Exception {
    var wall = new LoginPage(browser).login("admin", ADMIN_PASSWORD).openPlace("site-nantes");
    var probe = probeIn("site-nantes");
    browser.until(d -> wall.temperature(probe.devEui()).contains("°C"));
    browser.script("window.vigieNotReloaded = true;");

    platform.close();
    platform = null;
    browser.until(d -> wall.offlineBanner());
    browser.screenshot("offline");

    platform = startPlatform();
    browser.until(Duration.ofSeconds(30), d -> !wall.offlineBanner());
    send(probe, 7.4);
    browser.until(Duration.ofSeconds(15), d -> wall.temperature(probe.devEui()).startsWith("7.4"));
    assertThat(browser.script("return window.vigieNotReloaded === true")).isEqualTo(true);
    browser.screenshot("back-online");
  }
}
