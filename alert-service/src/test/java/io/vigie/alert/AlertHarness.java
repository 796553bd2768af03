package io.vigie.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One alert service for a test class: its own Redis database, a clock the test moves, tokens it signs, and a registry
 * answered on the bus from what the test registers (device contexts and nodes), as the real one would.
 */
final class AlertHarness implements ApiCalls {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  final TestClock clock = new TestClock(T0);
  final AlertService service = new AlertService(clock);
  final ServiceLauncher.Running running;
  final TestTokens tokens;
  final WebClient http;

  @Override
  public WebClient http() {
    return http;
  }
  /** What the registry knows, shared by every instance of the JVM (as one registry serves them all). */
  private static final Map<String, DeviceContext> devices = new ConcurrentHashMap<>();
  private static final Map<String, JsonObject> nodes = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<JsonObject>> changes = new ConcurrentHashMap<>();

  AlertHarness(String redisUrl, String elasticsearchUrl) throws Exception {
    this(redisUrl, elasticsearchUrl, Map.of(), new JsonObject());
  }

  /**
   * @param environment the service's environment variables ({@code VIGIE_…})
   * @param settings    settings over the test's (e.g. {@code notify})
   */
  AlertHarness(String redisUrl, String elasticsearchUrl, Map<String, String> environment, JsonObject settings)
      throws Exception {
    var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", redisUrl)).put("alert", new JsonObject().put("tickMs", 0))
        .mergeIn(settings, true);
    if (elasticsearchUrl != null) overrides.put("elasticsearch", new JsonObject().put("url", elasticsearchUrl));
    running = ServiceLauncher.launch(List.of(service), environment, overrides).await(60, SECONDS);
    var bus = running.vertx().eventBus();
    tokens = TestTokens.create(running.vertx()).serveJwks(running.vertx());
    bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, m -> {
      var device = devices.get(m.body().getString("devEui"));
      if (device == null) m.fail(404, "unknown device"); else m.reply(device.toJson());
    }).completion().await(10, SECONDS);
    bus.<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, m -> {
      var node = nodes.get(m.body().getString("tenant") + "/" + m.body().getString("id"));
      if (node == null) m.fail(404, "unknown node"); else m.reply(node);
    }).completion().await(10, SECONDS);
    bus.<JsonObject>consumer(Addresses.ALERT_CHANGED, m -> changesOf(m.body().getString("devEui")).add(m.body()))
        .completion().await(10, SECONDS);
    http = WebClient.create(running.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
  }

  void stop() throws Exception {
    running.stop().await(30, SECONDS);
  }

  /** A tenant ACME: root, site Paris with its kitchen, site Lyon; a probe (type lht65) in the kitchen and one in Lyon. */
  final class Fleet {
    final String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    final String paris = devEui();
    final String lyon = devEui();
    final List<PathElement> parisPath = List.of(new PathElement(tenant, "tenant", "ACME"),
        new PathElement("site-paris", "site", "Paris"), new PathElement("kitchen-1", "room", "Kitchen"));
    final List<PathElement> lyonPath = List.of(new PathElement(tenant, "tenant", "ACME"), new PathElement("site-lyon", "site", "Lyon"));

    Fleet() {
      for (int i = 1; i <= parisPath.size(); i++) node(parisPath.subList(0, i));
      node(lyonPath);
      device(paris, parisPath, "lht65");
      device(lyon, lyonPath, "lht65");
    }

    void node(List<PathElement> path) {
      var self = path.get(path.size() - 1);
      nodes.put(tenant + "/" + self.id(), new JsonObject().put("id", self.id()).put("tenant", tenant).put("kind", self.kind())
          .put("name", self.name()).put("path", new JsonArray(path.stream().map(PathElement::toJson).toList())));
    }

    void device(String devEui, List<PathElement> path, String type) {
      devices.put(devEui, new DeviceContext(devEui, tenant, "probe", type, path.get(path.size() - 1).id(), "ABP", null, path));
    }

    String token(Role role, String... scopes) {
      return tokens.token(new VigiePrincipal(role.name().toLowerCase() + "@" + tenant, tenant, role, List.of(scopes)));
    }

    String admin() {
      return token(Role.ADMIN, tenant);
    }

    /** A stored measurement of the Paris probe, {@code minutes} after T0. */
    JsonObject paris(long fCnt, double minutes, MeasurementValue... values) {
      return measurement(tenant, paris, parisPath, "lht65", fCnt, at(minutes), values);
    }

    JsonObject lyon(long fCnt, double minutes, MeasurementValue... values) {
      return measurement(tenant, lyon, lyonPath, "lht65", fCnt, at(minutes), values);
    }

    /** Replaces the default temperature rule at the root with one that opens at once (no duration). */
    Fleet immediate() throws Exception {
      var response = put("/api/v1/alert-rules/default-temperature-above", admin(), new JsonObject().put("nodeId", tenant)
          .put("kind", "above").put("measurement", "temperature").put("threshold", 8.0).put("severity", "major"));
      assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
      return this;
    }
  }

  static Instant at(double minutes) {
    return T0.plusSeconds(Math.round(minutes * 60));
  }

  static JsonObject measurement(String tenant, String devEui, List<PathElement> path, String type, long fCnt, Instant at,
                                MeasurementValue... values) {
    return new Measurement(devEui, fCnt, 2, at, "chirpstack-v4", List.of(), new JsonObject(), List.of(values), List.of(),
        tenant, new JsonObject().put("name", "probe").put("type", type), path).toJson();
  }

  static MeasurementValue temperature(double value) {
    return new MeasurementValue("temperature", "Cel", value);
  }

  static String devEui() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  static JsonObject batch(JsonObject... measurements) {
    return new JsonObject().put(Batch.MEASUREMENTS, new JsonArray(List.of(measurements)));
  }

  JsonObject evaluate(JsonObject... measurements) throws Exception {
    return running.vertx().eventBus().<JsonObject>request(Addresses.MEASUREMENT_STORED, batch(measurements))
        .await(10, SECONDS).body();
  }

  int tick() throws Exception {
    return service.tick().await(10, SECONDS);
  }

  /** Moves the clock to {@code minutes} after T0 and fires the timers due then. */
  int tickAt(double minutes) throws Exception {
    clock.set(at(minutes));
    return tick();
  }

  JsonObject nextChange(String devEui) throws InterruptedException {
    var change = changesOf(devEui).poll(10, SECONDS);
    assertThat(change).as("alert.changed for " + devEui).isNotNull();
    return change;
  }

  /** Nothing more published for the device (after what the test already waited for). */
  JsonObject noChange(String devEui) throws InterruptedException {
    return changesOf(devEui).poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  BlockingQueue<JsonObject> changesOf(String devEui) {
    return changes.computeIfAbsent(devEui, d -> new LinkedBlockingQueue<>());
  }

  List<JsonObject> alertsOf(String token, String query) throws Exception {
    var response = get("/api/v1/alerts" + query, token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }
}
