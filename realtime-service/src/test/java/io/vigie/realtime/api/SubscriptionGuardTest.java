package io.vigie.realtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The token of a register frame")
class SubscriptionGuardTest {

  @Test
  @DisplayName("comes from an Authorization Bearer header (any case) or a token header")
  void found() {
    assertThat(SubscriptionGuard.token(new JsonObject().put("Authorization", "Bearer abc.def.ghi"))).isEqualTo("abc.def.ghi");
    assertThat(SubscriptionGuard.token(new JsonObject().put("authorization", "bearer abc.def.ghi"))).isEqualTo("abc.def.ghi");
    assertThat(SubscriptionGuard.token(new JsonObject().put("token", "abc.def.ghi"))).isEqualTo("abc.def.ghi");
  }

  @Test
  @DisplayName("is absent without headers, with another scheme, or blank")
  void absent() {
    assertThat(SubscriptionGuard.token(null)).isNull();
    assertThat(SubscriptionGuard.token(new JsonObject().put("Authorization", "Basic YWRtaW46YWRtaW4="))).isNull();
    assertThat(SubscriptionGuard.token(new JsonObject().put("token", " "))).isNull();
    assertThat(SubscriptionGuard.token(new JsonObject().put("token", 42))).isNull();
  }
}
