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
}
