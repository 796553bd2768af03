package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Throttling of failed logins")
class LoginThrottleTest {
  private RegistryFixture registry;

  @BeforeEach
  void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 6, new JsonObject().put("auth", new JsonObject()
        .put("adminPassword", RegistryFixture.ADMIN_PASSWORD)
        .put("throttle", new JsonObject().put("maxFailuresPerUser", 5).put("maxFailuresPerIp", 8))));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  @DisplayName("after 5 failures for one username, even the right password gets 429 with Retry-After")
  void perUsername() {
    for (int i = 0; i < 5; i++) {
      assertThat(registry.token("admin", "wrong-" + i).statusCode()).isEqualTo(401);
    }

    var throttled = registry.token("admin", RegistryFixture.ADMIN_PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
    assertThat(Integer.parseInt(throttled.getHeader("Retry-After"))).isBetween(1, 60);
  }

  @Test
  @DisplayName("unknown usernames are throttled the same way (no hint that they do not exist)")
  void unknownUsername() {
    for (int i = 0; i < 5; i++) {
      assertThat(registry.token("ghost", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(registry.token("ghost", "wrong").statusCode()).isEqualTo(429);
  }

  @Test
  @DisplayName("a success forgets the username's earlier failures")
  void successResets() {
    // 3 + 3 failures: past the per-username limit (5) unless the success in between reset the count,
    // below the per-address limit (8)
    for (int i = 0; i < 3; i++) {
      assertThat(registry.token("admin", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(registry.token("admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(registry.token("admin", "wrong-again-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(registry.token("admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("one client address spraying many usernames is throttled after its own limit")
  void perAddress() {
    for (int i = 0; i < 8; i++) {
      assertThat(registry.token("user-" + i, "wrong").statusCode()).as("attempt %d", i).isEqualTo(401);
    }
    var throttled = registry.token("admin", RegistryFixture.ADMIN_PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isNotBlank();
  }
}
