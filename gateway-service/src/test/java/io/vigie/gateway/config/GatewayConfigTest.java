package io.vigie.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vigie.common.config.VigieConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static VigieConfig config(JsonObject ingest) {
    return VigieConfig.from(new JsonObject().put("ingest", ingest));
  }

  @Test
  @DisplayName("a configured secret is used as is and the defaults apply to the rest")
  void configuredSecret() {
    var config = GatewayConfig.from(config(new JsonObject().put("token", "s3cret-of-the-network-server")));

    assertThat(config.ingestToken()).isEqualTo("s3cret-of-the-network-server");
    assertThat(config.tokenGenerated()).isFalse();
    assertThat(config.maxInFlight()).isEqualTo(256);
    assertThat(config.bodyLimit()).isEqualTo(65536);
    assertThat(config.requestTimeoutMs()).isEqualTo(15000);
  }

  @Test
  @DisplayName("a blank secret is replaced by a random 256-bit one, different at every start")
  void generatedSecret() {
    var first = GatewayConfig.from(config(new JsonObject().put("token", "  ")));
    var second = GatewayConfig.from(config(new JsonObject()));

    assertThat(first.tokenGenerated()).isTrue();
    assertThat(first.ingestToken()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(second.ingestToken()).isNotEqualTo(first.ingestToken());
  }

  @Test
  @DisplayName("the secret never shows in the printed configuration")
  void toStringHidesSecret() {
    var config = GatewayConfig.from(config(new JsonObject().put("token", "s3cret-of-the-network-server")));

    assertThat(config.toString()).doesNotContain("s3cret").contains("<hidden>");
  }

  @Test
  @DisplayName("limits from the environment (strings) are parsed, nonsense is refused")
  void limits() {
    var config = GatewayConfig.from(config(new JsonObject().put("maxInFlight", "8").put("bodyLimit", "4096")));
    assertThat(config.maxInFlight()).isEqualTo(8);
    assertThat(config.bodyLimit()).isEqualTo(4096);

    assertThatThrownBy(() -> GatewayConfig.from(config(new JsonObject().put("maxInFlight", 0))))
        .hasMessageContaining("ingest.maxInFlight");
    assertThatThrownBy(() -> GatewayConfig.from(config(new JsonObject().put("maxInFlight", "many"))))
        .hasMessageContaining("ingest.maxInFlight must be an integer");
  }

  private static VigieConfig raw(JsonObject raw) {
    return VigieConfig.from(raw);
  }

  @Test
  @DisplayName("MQTT is off without mqtt.url; UDP listens on 1700 unless told otherwise; copies are merged within 200 ms")
  void adapterDefaults() {
    var config = GatewayConfig.from(config(new JsonObject()));

    assertThat(config.mqtt()).isNull();
    assertThat(config.udp()).isEqualTo(new UdpSettings("0.0.0.0", 1700));
    assertThat(config.dedupWindowMs()).isEqualTo(200);
  }

  @Test
  @DisplayName("udp.port 'off' or a negative number turns the UDP adapter off, 0 asks for any free port")
  void udpPort() {
    assertThat(GatewayConfig.from(raw(new JsonObject().put("udp", new JsonObject().put("port", "off")))).udp()).isNull();
    assertThat(GatewayConfig.from(raw(new JsonObject().put("udp", new JsonObject().put("port", -1)))).udp()).isNull();
    assertThat(GatewayConfig.from(raw(new JsonObject().put("udp", new JsonObject().put("port", "0")))).udp().port()).isZero();
    assertThatThrownBy(() -> GatewayConfig.from(raw(new JsonObject().put("udp", new JsonObject().put("port", 70000)))))
        .hasMessageContaining("udp.port");
  }

  @Test
  @DisplayName("the MQTT URL gives host, port, TLS and credentials; the password never shows")
  void mqttUrl() {
    var plain = GatewayConfig.from(raw(new JsonObject().put("mqtt", new JsonObject().put("url", "tcp://broker.internal"))))
        .mqtt();
    var tls = GatewayConfig.from(raw(new JsonObject().put("mqtt", new JsonObject()
        .put("url", "ssl://cold-chain%40ttn:NNSXS.S3CR3T@eu1.cloud.thethings.network").put("clientId", "vigie-1")))).mqtt();

    assertThat(plain.host()).isEqualTo("broker.internal");
    assertThat(plain.port()).isEqualTo(1883);
    assertThat(plain.tls()).isFalse();
    assertThat(plain.username()).isNull();
    assertThat(plain.clientId()).startsWith("vigie-gateway-");
    assertThat(plain.chirpstackTopic()).isEqualTo("application/+/device/+/event/up");
    assertThat(plain.ttsTopic()).isEqualTo("v3/+/devices/+/up");
    assertThat(tls.port()).isEqualTo(8883);
    assertThat(tls.tls()).isTrue();
    assertThat(tls.username()).isEqualTo("cold-chain@ttn");
    assertThat(tls.password()).isEqualTo("NNSXS.S3CR3T");
    assertThat(tls.clientId()).isEqualTo("vigie-1");
    assertThat(tls.toString()).doesNotContain("S3CR3T");
  }

  @Test
  @DisplayName("a URL that is not an MQTT URL is refused without echoing a password")
  void badMqttUrl() {
    assertThatThrownBy(() -> GatewayConfig.from(raw(new JsonObject().put("mqtt", new JsonObject().put("url", "http://x:1883")))))
        .hasMessageContaining("mqtt.url");
    assertThatThrownBy(() -> GatewayConfig.from(raw(new JsonObject().put("mqtt",
        new JsonObject().put("url", "amqp://user:hunter2@x")))))
        .hasMessageContaining("mqtt.url").hasMessageNotContaining("hunter2");
  }

  @Test
  @DisplayName("a de-duplication window outside 0..10000 ms is refused")
  void dedupWindow() {
    assertThat(GatewayConfig.from(config(new JsonObject().put("dedupWindowMs", "0"))).dedupWindowMs()).isZero();
    assertThatThrownBy(() -> GatewayConfig.from(config(new JsonObject().put("dedupWindowMs", 60_000))))
        .hasMessageContaining("ingest.dedupWindowMs");
  }
}
