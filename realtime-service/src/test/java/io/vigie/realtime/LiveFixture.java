package io.vigie.realtime;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The realtime service running with a stand-in registry (tenant acme: Paris with its kitchen, and Lyon; a probe in
 * each) that answers {@code registry.jwks}, {@code registry.device.context} and {@code registry.node.get}.
 */
public final class LiveFixture implements AutoCloseable {
  static final String TENANT = "acme";
  static final PathElement ROOT = new PathElement(TENANT, "tenant", "ACME");
  static final PathElement PARIS = new PathElement("site-paris", "site", "Paris");
  static final PathElement KITCHEN = new PathElement("kitchen-1", "room", "Kitchen");
  static final PathElement LYON = new PathElement("site-lyon", "site", "Lyon");
  public static final String PARIS_PROBE = "70b3d57ed005a1b2";
  static final String LYON_PROBE = "70b3d57ed005a1b3";
  public static final List<PathElement> PARIS_PATH = List.of(ROOT, PARIS, KITCHEN);
  static final List<PathElement> LYON_PATH = List.of(ROOT, LYON);
  /** The registry's view: nodes with their paths (the node itself last), devices with their node. */
  private static final Map<String, List<PathElement>> NODES = Map.of(TENANT, List.of(ROOT),
      "site-paris", List.of(ROOT, PARIS), "kitchen-1", PARIS_PATH, "site-lyon", LYON_PATH);
  private static final Map<String, String> DEVICES = Map.of(PARIS_PROBE, "kitchen-1", LYON_PROBE, "site-lyon");
  private static final AtomicLong F_CNT = new AtomicLong();

  public final ServiceLauncher.Running running;
  public final Vertx vertx;
  final TestTokens tokens;

  private LiveFixture(ServiceLauncher.Running running) {
    this.running = running;
    this.vertx = running.vertx();
    this.tokens = TestTokens.create(vertx).serveJwks(vertx);
  }

  /** Launches on a free port with these settings ({@code {"realtime":{…}}, …}) over the defaults. */
  public static LiveFixture launch(JsonObject overrides) throws Exception {
    var config = overrides.copy();
    config.put("http", config.getJsonObject("http", new JsonObject()).copy().put("port", 0));
    var fixture = new LiveFixture(ServiceLauncher.launch(List.of(new RealtimeService()), Map.of(), config).await(60, SECONDS));
    fixture.serveRegistry();
    return fixture;
  }

  private void serveRegistry() throws Exception {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var devEui = message.body().getString("devEui");
      var node = DEVICES.get(devEui);
      if (node == null) {
        message.fail(404, "no device " + devEui);
        return;
      }
      message.reply(new DeviceContext(devEui, TENANT, "probe", "lht65", node, "network-decrypted", null,
          NODES.get(node)).toJson());
    }).completion().await(10, SECONDS);
    bus.<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, message -> {
      var id = message.body().getString("id");
      var path = NODES.get(id);
      if (path == null || !TENANT.equals(message.body().getString("tenant"))) {
        message.fail(404, "no node " + id);
        return;
      }
      message.reply(new JsonObject().put("id", id).put("tenant", TENANT)
          .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList())));
    }).completion().await(10, SECONDS);
  }

  public int port() {
    return running.port();
  }

  public String token(Role role, String... scopes) {
    return tokens.token(principal(role, scopes));
  }

  static VigiePrincipal principal(Role role, String... scopes) {
    return new VigiePrincipal("user-" + role.wire() + "-" + String.join("-", scopes), TENANT, role, List.of(scopes));
  }

  void publishMeasurement(JsonObject measurement) {
    vertx.eventBus().publish(Addresses.MEASUREMENT_PUBLISHED,
        new JsonObject().put(Batch.MEASUREMENTS, new JsonArray().add(measurement)));
  }

  void publishAlert(JsonObject alert) {
    vertx.eventBus().publish(Addresses.ALERT_CHANGED, alert);
  }

  /** A stored measurement document of a probe, each with the next frame counter (and one second later). */
  public static JsonObject measurement(String devEui, List<PathElement> path) {
    var n = F_CNT.incrementAndGet();
    return new Measurement(devEui, n, 2, Instant.parse("2026-11-29T10:15:02.123Z").plusSeconds(n), "chirpstack-v4",
        List.of(), new JsonObject().put("temperature", 4.25), List.of(new MeasurementValue("temperature", "Cel", 4.25)),
        List.of(), TENANT, new JsonObject().put("name", "probe"), path).toJson();
  }

  static JsonObject alert(String devEui, List<PathElement> path) {
    return new JsonObject().put("id", "alert-" + devEui).put("tenant", TENANT).put("devEui", devEui)
        .put("ruleId", "default-temperature-above").put("severity", "major").put("status", "active")
        .put("startedAt", "2026-11-29T10:15:02.123Z").put("lastValue", 9.5)
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()))
        .put("pathIds", new JsonArray(path.stream().map(PathElement::id).toList()));
  }

  @Override
  public void close() throws Exception {
    running.stop().await(30, SECONDS);
  }
}
