package io.vigie.realtime;

import io.vigie.common.auth.TestTokens;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.Batch;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The realtime service")
class RealtimeServiceTest {
  private static final String TENANT = "acme";
  private static final PathElement ROOT = new PathElement(TENANT, "tenant", "ACME");
  private static final PathElement PARIS = new PathElement("site-paris", "site", "Paris");
  private static final PathElement KITCHEN = new PathElement("kitchen-1", "room", "Kitchen");
  private static final PathElement LYON = new PathElement("site-lyon", "site", "Lyon");
  private static final String PARIS_PROBE = "70b3d57ed005a1b2";
  private static final String LYON_PROBE = "70b3d57ed005a1b3";
  /** The registry's view: nodes with their paths (the node itself last), devices with their node path. */
  private static final Map<String, List<PathElement>> NODES = Map.of(TENANT, List.of(ROOT),
      "site-paris", List.of(ROOT, PARIS), "kitchen-1", List.of(ROOT, PARIS, KITCHEN), "site-lyon", List.of(ROOT, LYON));
  private static final Map<String, String> DEVICES = Map.of(PARIS_PROBE, "kitchen-1", LYON_PROBE, "site-lyon");

  private static final AtomicLong fCnt = new AtomicLong();
  private static ServiceLauncher.Running running;
  private static Vertx vertx;
  private static TestTokens tokens;

  @BeforeAll
  static void launch() throws Exception {
    running = ServiceLauncher.launch(List.of(new RealtimeService()),
        Map.of(), new JsonObject().put("http", new JsonObject().put("port", 0))).await(60, SECONDS);
    vertx = running.vertx();
    tokens = TestTokens.create(vertx).serveJwks(vertx);
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

  @AfterAll
  static void stop() throws Exception {
    if (running != null) running.stop().await(30, SECONDS);
  }

  @Test
  @DisplayName("delivers a device's measurements to a client in scope, on the device's address and on its site's")
  void delivers() throws Exception {
    var parisViewer = token(Role.VIEWER, "site-paris");
    try (var client = SockJsTestClient.connect(vertx, running.port())) {
      client.register("telemetry.device." + PARIS_PROBE, parisViewer);
      client.register("telemetry.node.site-paris", parisViewer);
      var measurement = measurement(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));

      var onDevice = client.publishUntilReceived(() -> publishMeasurement(measurement), "telemetry.device." + PARIS_PROBE);
      var onSite = client.publishUntilReceived(() -> publishMeasurement(measurement), "telemetry.node.site-paris");

      assertThat(onDevice.getJsonObject("body")).isEqualTo(measurement);
      assertThat(onSite.getJsonObject("body")).isEqualTo(measurement);
      assertThat(client.frames).noneMatch(f -> "err".equals(f.getString("type")));
    }
  }

  @Test
  @DisplayName("refuses subscriptions outside the caller's scopes with an err frame, and delivers nothing of them")
  void refusesOutOfScope() throws Exception {
    var parisViewer = token(Role.VIEWER, "site-paris");
    try (var client = SockJsTestClient.connect(vertx, running.port())) {
      client.register("telemetry.device." + LYON_PROBE, parisViewer);
      assertThat(client.nextError().getString("body")).isEqualTo("rejected");
      client.register("telemetry.node.site-lyon", parisViewer);
      assertThat(client.nextError().getString("body")).isEqualTo("rejected");
      client.register("alerts.node." + TENANT, parisViewer);
      assertThat(client.nextError().getString("body")).isEqualTo("rejected");

      client.register("telemetry.device." + PARIS_PROBE, parisViewer);
      var lyon = measurement(LYON_PROBE, List.of(ROOT, LYON));
      var paris = measurement(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));
      client.publishUntilReceived(() -> {
        publishMeasurement(lyon);
        publishAlert(alert(LYON_PROBE, List.of(ROOT, LYON)));
        publishMeasurement(paris);
      }, "telemetry.device." + PARIS_PROBE);

      assertThat(client.received()).isNotEmpty()
          .allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("telemetry.device." + PARIS_PROBE))
          .allSatisfy(f -> assertThat(f.getJsonObject("body").getString("devEui")).isEqualTo(PARIS_PROBE));
    }
  }

  @Test
  @DisplayName("refuses subscriptions without a token, with a token it did not issue, or to an unknown target")
  void refusesUnauthenticated() throws Exception {
    var foreign = TestTokens.create(vertx).token(new VigiePrincipal("admin", TENANT, Role.ADMIN, List.of(TENANT)));
    var admin = token(Role.ADMIN, TENANT);
    try (var client = SockJsTestClient.connect(vertx, running.port())) {
      client.register("telemetry.device." + PARIS_PROBE, (JsonObject) null);
      client.nextError();
      client.register("telemetry.device." + PARIS_PROBE, foreign);
      client.nextError();
      client.register("telemetry.device." + PARIS_PROBE, new JsonObject().put("Authorization", "Basic YWRtaW46YWRtaW4="));
      client.nextError();
      client.register("telemetry.node.nowhere", admin);
      client.nextError();
      client.register("telemetry.device.70B3D57ED005A1B2", admin);
      client.nextError();
      client.send(new JsonObject().put("type", "publish").put("address", "telemetry.device." + PARIS_PROBE)
          .put("body", new JsonObject().put("devEui", PARIS_PROBE).put("forged", true)));
      client.nextError();

      // the same client, with a valid token in the "token" header, gets the kitchen; nothing else got through
      client.register("telemetry.node.kitchen-1", new JsonObject().put("token", admin));
      var measurement = measurement(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));
      client.publishUntilReceived(() -> publishMeasurement(measurement), "telemetry.node.kitchen-1");

      assertThat(client.received()).allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("telemetry.node.kitchen-1"));
    }
  }

  @Test
  @DisplayName("forwards an alert change to alerts.node.<id> of every node above the device")
  void forwardsAlerts() throws Exception {
    var parisOperator = token(Role.OPERATOR, "site-paris");
    try (var client = SockJsTestClient.connect(vertx, running.port())) {
      client.register("alerts.node.site-paris", parisOperator);
      client.register("alerts.node.kitchen-1", parisOperator);
      var alert = alert(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));

      var onSite = client.publishUntilReceived(() -> publishAlert(alert), "alerts.node.site-paris");
      var onRoom = client.publishUntilReceived(() -> publishAlert(alert), "alerts.node.kitchen-1");

      assertThat(onSite.getJsonObject("body")).isEqualTo(alert);
      assertThat(onRoom.getJsonObject("body")).isEqualTo(alert);
    }
  }

  private static String token(Role role, String... scopes) {
    return tokens.token(new VigiePrincipal("user-" + role.wire(), TENANT, role, List.of(scopes)));
  }

  private static void publishMeasurement(JsonObject measurement) {
    vertx.eventBus().publish(Addresses.MEASUREMENT_PUBLISHED,
        new JsonObject().put(Batch.MEASUREMENTS, new io.vertx.core.json.JsonArray().add(measurement)));
  }

  private static void publishAlert(JsonObject alert) {
    vertx.eventBus().publish(Addresses.ALERT_CHANGED, alert);
  }

  private static JsonObject measurement(String devEui, List<PathElement> path) {
    var n = fCnt.incrementAndGet();
    return new Measurement(devEui, n, 2, Instant.parse("2026-11-29T10:15:02.123Z").plusSeconds(n), "chirpstack-v4",
        List.of(), new JsonObject().put("temperature", 4.25), List.of(new MeasurementValue("temperature", "Cel", 4.25)),
        List.of(), TENANT, new JsonObject().put("name", "probe"), path).toJson();
  }

  private static JsonObject alert(String devEui, List<PathElement> path) {
    return new JsonObject().put("id", "alert-" + devEui).put("tenant", TENANT).put("devEui", devEui)
        .put("ruleId", "default-temperature-above").put("severity", "major").put("status", "active")
        .put("startedAt", "2026-11-29T10:15:02.123Z").put("lastValue", 9.5)
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()));
  }
}
