package io.vigie.realtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Live addresses")
class LiveAddressTest {

  @Test
  @DisplayName("name a device by its canonical devEui, or a node by its id")
  void parses() {
    assertThat(LiveAddress.parse("telemetry.device.70b3d57ed005a1b2")).contains(
        new LiveAddress(LiveAddress.Kind.DEVICE_TELEMETRY, "70b3d57ed005a1b2", "telemetry.device.70b3d57ed005a1b2"));
    assertThat(LiveAddress.parse("telemetry.node.site-paris")).contains(
        new LiveAddress(LiveAddress.Kind.NODE_TELEMETRY, "site-paris", "telemetry.node.site-paris"));
    assertThat(LiveAddress.parse("alerts.node.acme")).contains(
        new LiveAddress(LiveAddress.Kind.NODE_ALERTS, "acme", "alerts.node.acme"));
  }

  @Test
  @DisplayName("are not anything else: other prefixes, upper-case or short devEuis, empty or spaced ids")
  void rejects() {
    assertThat(LiveAddress.parse(null)).isEmpty();
    assertThat(LiveAddress.parse("registry.jwks")).isEmpty();
    assertThat(LiveAddress.parse("telemetry.device.70B3D57ED005A1B2")).isEmpty();
    assertThat(LiveAddress.parse("telemetry.device.70b3d57e")).isEmpty();
    assertThat(LiveAddress.parse("telemetry.node.")).isEmpty();
    assertThat(LiveAddress.parse("alerts.node.site paris")).isEmpty();
  }

  @Test
  @DisplayName("fan a measurement out to its device and every node of its path, an alert to every node of its path")
  void fansOut() {
    var path = new JsonArray().add(new JsonObject().put("id", "acme")).add(new JsonObject().put("id", "site-paris"));
    var measurement = new JsonObject().put("devEui", "70b3d57ed005a1b2").put("path", path);

    assertThat(Fanout.measurementAddresses(measurement)).containsExactly("telemetry.device.70b3d57ed005a1b2",
        "telemetry.node.acme", "telemetry.node.site-paris");
    assertThat(Fanout.alertAddresses(new JsonObject().put("path", path)))
        .containsExactly("alerts.node.acme", "alerts.node.site-paris");
    assertThat(Fanout.alertAddresses(new JsonObject())).isEmpty();
  }
}
