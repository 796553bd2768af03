package io.vigie.realtime;

import static io.vigie.realtime.LiveFixture.KITCHEN;
import static io.vigie.realtime.LiveFixture.LYON;
import static io.vigie.realtime.LiveFixture.LYON_PROBE;
import static io.vigie.realtime.LiveFixture.PARIS;
import static io.vigie.realtime.LiveFixture.PARIS_PROBE;
import static io.vigie.realtime.LiveFixture.ROOT;
import static io.vigie.realtime.LiveFixture.TENANT;
import static io.vigie.realtime.LiveFixture.alert;
import static io.vigie.realtime.LiveFixture.measurement;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The realtime service")
class RealtimeServiceTest {
  @AutoClose
  private static LiveFixture live;

  @BeforeAll
  static void launch() throws Exception {
    live = LiveFixture.launch(new JsonObject());
  }


  @Test
  @DisplayName("delivers a device's measurements to a client in scope, on the device's address and on its site's")
  void delivers() throws Exception {
    var parisViewer = live.token(Role.VIEWER, "site-paris");
    try (var client = LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.SOCKJS)) {
      client.register("telemetry.device." + PARIS_PROBE, parisViewer);
      client.register("telemetry.node.site-paris", parisViewer);
      var measurement = measurement(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));

      var onDevice = client.publishUntilReceived(() -> live.publishMeasurement(measurement), "telemetry.device." + PARIS_PROBE);
      var onSite = client.publishUntilReceived(() -> live.publishMeasurement(measurement), "telemetry.node.site-paris");

      assertThat(onDevice.getJsonObject("body")).isEqualTo(measurement);
      assertThat(onSite.getJsonObject("body")).isEqualTo(measurement);
      assertThat(client.frames).noneMatch(f -> "err".equals(f.getString("type")));
    }
  }

  @Test
  @DisplayName("refuses subscriptions outside the caller's scopes with an err frame, and delivers nothing of them")
  void refusesOutOfScope() throws Exception {
    var parisViewer = live.token(Role.VIEWER, "site-paris");
    try (var client = LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.SOCKJS)) {
      client.register("telemetry.device." + LYON_PROBE, parisViewer);
      client.expectError("rejected");
      client.register("telemetry.node.site-lyon", parisViewer);
      client.expectError("rejected");
      client.register("alerts.node." + TENANT, parisViewer);
      client.expectError("rejected");

      client.register("telemetry.device." + PARIS_PROBE, parisViewer);
      var lyon = measurement(LYON_PROBE, List.of(ROOT, LYON));
      var paris = measurement(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));
      client.publishUntilReceived(() -> {
        live.publishMeasurement(lyon);
        live.publishAlert(alert(LYON_PROBE, List.of(ROOT, LYON)));
        live.publishMeasurement(paris);
      }, "telemetry.device." + PARIS_PROBE);

      assertThat(client.received()).isNotEmpty()
          .allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("telemetry.device." + PARIS_PROBE))
          .allSatisfy(f -> assertThat(f.getJsonObject("body").getString("devEui")).isEqualTo(PARIS_PROBE));
    }
  }

  @Test
  @DisplayName("refuses subscriptions without a token, with a token it did not issue, or to an unknown target")
  void refusesUnauthenticated() throws Exception {
    var foreign = TestTokens.create(live.vertx).token(new VigiePrincipal("admin", TENANT, Role.ADMIN, List.of(TENANT)));
    var admin = live.token(Role.ADMIN, TENANT);
    try (var client = LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.SOCKJS)) {
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
      client.publishUntilReceived(() -> live.publishMeasurement(measurement), "telemetry.node.kitchen-1");

      assertThat(client.received()).allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("telemetry.node.kitchen-1"));
    }
  }

  @Test
  @DisplayName("forwards an alert change to alerts.node.<id> of every node above the device")
  void forwardsAlerts() throws Exception {
    var parisOperator = live.token(Role.OPERATOR, "site-paris");
    try (var client = LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.SOCKJS)) {
      client.register("alerts.node.site-paris", parisOperator);
      client.register("alerts.node.kitchen-1", parisOperator);
      var alert = alert(PARIS_PROBE, List.of(ROOT, PARIS, KITCHEN));

      var onSite = client.publishUntilReceived(() -> live.publishAlert(alert), "alerts.node.site-paris");
      var onRoom = client.publishUntilReceived(() -> live.publishAlert(alert), "alerts.node.kitchen-1");

      assertThat(onSite.getJsonObject("body")).isEqualTo(alert);
      assertThat(onRoom.getJsonObject("body")).isEqualTo(alert);
    }
  }

}
