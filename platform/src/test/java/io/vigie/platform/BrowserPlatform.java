package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.vigie.simulator.Frame;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.Probe;
import io.vigie.simulator.sender.WebhookSender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the dashboard's browser tests run against: the whole platform on the real Redis (one database per test
 * class), Elasticsearch and broker of {@code testing}, on a fixed port so that it can be stopped and started again
 * with the same data; a simulator fleet in Paris, Lyon, Lille and Nantes (two probes each for eight), registered and
 * heard once; and a headless Chromium.
 */
final class BrowserPlatform implements AutoCloseable {
  final String adminPassword;
  final String ingestToken;
  final String baseUrl;
  final Vertx vertx = Vertx.vertx();
  final PlatformClient client;
  final Fleet fleet;
  final Browser browser;
  private final JsonObject overrides;
  private final AtomicLong fCnt = new AtomicLong();
  private Platform platform;

  BrowserPlatform(String name, int redisDatabase, int firstDevice, int probes, EmbeddedRedis redis,
                  EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    this(name, redisDatabase, firstDevice, probes, new JsonObject(), redis, elasticsearch, mqtt);
  }

  /** With {@code settings} of the test class's own over the defaults (e.g. an SMTP server). */
  BrowserPlatform(String name, int redisDatabase, int firstDevice, int probes, JsonObject settings, EmbeddedRedis redis,
                  EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    adminPassword = name + "-admin-password";
    ingestToken = name + "-ingest-secret";
    var port = FreePorts.find();
    overrides = new JsonObject()
        .put("http", new JsonObject().put("port", port))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-" + name).toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/" + redisDatabase))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", name + "-measurements"))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-" + name))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", adminPassword))
        .put("ingest", new JsonObject().put("token", ingestToken))
        // each test class its own trails: the Elasticsearch of the test JVM is shared
        .put("audit", new JsonObject().put("index", name + "-audit"))
        .put("alert", new JsonObject().put("historyIndex", name + "-alert-history"))
        // the tests' webhook receivers listen on the loopback, where webhooks may not go by default
        .put("notify", new JsonObject().put("webhookAllowedNetworks", "127.0.0.0/8"))
        .mergeIn(settings, true);
    start();
    baseUrl = "http://127.0.0.1:" + port;
    client = new PlatformClient(vertx, port);
    fleet = new Fleet(vertx, baseUrl, ingestToken, FleetOptions.defaults().withFirstDevice(firstDevice));
    join(fleet.register("admin", adminPassword, probes));
    join(fleet.sendRound());
    // the frames the tests build count on from well above every counter the fleet used
    fCnt.set(fleet.probes().stream().mapToLong(Probe::nextFCnt).max().orElseThrow() + 1000);
    browser = new Browser(baseUrl);
  }

  /** Starts the platform (again: same port, same data). */
  void start() throws Exception {
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
  }

  /** Stops the platform; the infrastructure of {@code testing} stays. */
  void stop() {
    if (platform != null) platform.close();
    platform = null;
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  String adminToken() throws Exception {
    return join(client.token("admin", adminPassword));
  }

  /** Creates a user through the API (201 expected). */
  void createUser(String username, String password, String role, String scope) throws Exception {
    var created = join(client.post(adminToken(), "/api/v1/users", new JsonObject().put("username", username)
        .put("password", password).put("role", role).put("scopes", new JsonArray().add(scope))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  Probe probeIn(String siteId) {
    return fleet.probes().stream().filter(p -> p.siteId().equals(siteId)).findFirst().orElseThrow();
  }

  /** One uplink of {@code probe} reading {@code celsius} now, through the ChirpStack integration; 202 expected. */
  Frame send(Probe probe, double celsius) throws Exception {
    return send(probe, celsius, Instant.now());
  }

  /** One uplink as received by the network server at {@code at}. */
  Frame send(Probe probe, double celsius, Instant at) throws Exception {
    var frame = probe.frame(fCnt.incrementAndGet(), celsius, at, Gateways.of(1).receptions());
    var outcome = join(WebhookSender.chirpStack(vertx, baseUrl, ingestToken).send(frame));
    assertThat(outcome.delivered()).as(outcome.toString()).isTrue();
    return frame;
  }

  /** Waits until the frame is stored (its fate in the device's uplinks): accepted is not yet stored. */
  void awaitStored(Frame frame) throws Exception {
    var token = adminToken();
    await().atMost(Duration.ofSeconds(60)).until(() -> join(client.http.get("/api/v1/devices/" + frame.devEui() + "/uplinks")
            .bearerTokenAuthentication(token).send()).bodyAsJsonObject().getJsonArray("uplinks").stream()
        .map(JsonObject.class::cast).anyMatch(u -> frame.id().equals(u.getString("id")) && "stored".equals(u.getString("status"))));
  }

  /** A day of readings every 20 minutes, as received then: a fridge cycling around 4 °C, its door opened at noon. */
  void lastDay(Probe probe) throws Exception {
    var now = Instant.now();
    for (int i = 72; i > 0; i--) {
      var celsius = 4 + 0.8 * Math.sin(i / 3.0) + (i == 36 || i == 37 ? 3.5 : 0);
      send(probe, Math.round(celsius * 10) / 10.0, now.minus(Duration.ofMinutes(20L * i)));
    }
  }

  @Override
  public void close() {
    if (browser != null) browser.close();
    vertx.close();
    stop();
  }
}
