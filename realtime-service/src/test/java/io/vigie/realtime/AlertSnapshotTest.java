package io.vigie.realtime;

import static io.vigie.realtime.LiveFixture.LYON_PATH;
import static io.vigie.realtime.LiveFixture.LYON_PROBE;
import static io.vigie.realtime.LiveFixture.PARIS_PATH;
import static io.vigie.realtime.LiveFixture.PARIS_PROBE;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The snapshot of {@code alerts.node.<id>}, asked of a stand-in alert service on the bus ({@code alert.open}). */
@DisplayName("An alerts subscription")
class AlertSnapshotTest {
  @AutoClose
  private static LiveFixture live;
  private static final List<JsonObject> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void launch() throws Exception {
    live = LiveFixture.launch(new JsonObject().put("realtime", new JsonObject().put("snapshotTimeout", 1000)));
    // answers every subtree with both probes' alerts (a faulty answer): realtime must keep only what the caller may see;
    // kitchen-1 is never answered (the alert service is slow)
    live.vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_OPEN, message -> {
      asked.add(message.body());
      if ("kitchen-1".equals(message.body().getString("nodeId"))) return;
      message.reply(new JsonObject().put("complete", true).put("alerts", new JsonArray()
          .add(LiveFixture.alert(PARIS_PROBE, PARIS_PATH)).add(LiveFixture.alert(LYON_PROBE, LYON_PATH))));
    }).completion().await(10, SECONDS);
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("starts with the open alerts of the subtree within the caller's scopes (complete), then the live alert pushes")
  void openAlertsThenLive(String path) throws Exception {
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      var snapshot = client.subscribe("alerts.node.site-paris", live.token(Role.VIEWER, "site-paris"));

      assertThat(snapshot.getJsonArray("body")).containsExactly(LiveFixture.alert(PARIS_PROBE, PARIS_PATH));
      assertThat(snapshot.getBoolean("complete")).isTrue();
      assertThat(asked).contains(new JsonObject().put("tenant", LiveFixture.TENANT).put("nodeId", "site-paris"));
      var acknowledged = LiveFixture.alert(PARIS_PROBE, PARIS_PATH).put("status", "acknowledged").put("transition", "acknowledged");
      var push = client.publishUntilReceived(() -> live.publishAlert(acknowledged), "alerts.node.site-paris");
      assertThat(push.getJsonObject("body")).isEqualTo(acknowledged);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS})
  @DisplayName("is told its snapshot is incomplete when the alert service does not answer in time, and still gets the live pushes")
  void unansweredIsIncomplete(String path) throws Exception {
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      var snapshot = client.subscribe("alerts.node.kitchen-1", live.token(Role.VIEWER, "site-paris"));

      assertThat(snapshot.getJsonArray("body")).isEmpty();
      assertThat(snapshot.getBoolean("complete")).isFalse();
      var opened = LiveFixture.alert(PARIS_PROBE, PARIS_PATH).put("transition", "opened");
      assertThat(client.publishUntilReceived(() -> live.publishAlert(opened), "alerts.node.kitchen-1").getJsonObject("body"))
          .isEqualTo(opened);
    }
  }
}
