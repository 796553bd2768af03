package io.vigie.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RegistryChange.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A registry change")
class RegistryChangeTest {

  @Test
  @DisplayName("has the wire shape {kind,id,tenant} of registry.changed and survives the trip through JSON")
  void json() {
    var change = new RegistryChange(Kind.DEVICE_TYPE, "lht65", "acme");

    assertThat(change.toJson()).isEqualTo(new JsonObject().put("kind", "device-type").put("id", "lht65").put("tenant", "acme"));
    assertThat(RegistryChange.fromJson(new JsonObject(change.toJson().encode()))).isEqualTo(change);
    assertThat(RegistryChange.fromJson(new JsonObject().put("kind", "node").put("id", "fridge-12")))
        .isEqualTo(new RegistryChange(Kind.NODE, "fridge-12", null));
  }

  @Test
  @DisplayName("an unknown kind or a missing id is refused, naming what is wrong")
  void refused() {
    assertThatThrownBy(() -> RegistryChange.fromJson(new JsonObject().put("kind", "gateway").put("id", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gateway'");
    assertThatThrownBy(() -> RegistryChange.fromJson(new JsonObject().put("kind", "device")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryChange.fromJson(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
