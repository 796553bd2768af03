package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.embedded.EmbeddedRedis;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When Redis goes away")
class RedisOutageTest {

  @Test
  @DisplayName("readiness turns DOWN and registry routes answer 503, not 500")
  void outage() throws IOException {
    var redis = EmbeddedRedis.start(RegistryFixture.tempDir(), 0, false);
    try (var registry = RegistryFixture.start(redis, 0)) {
      var token = registry.adminToken();
      assertThat(registry.get("/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(registry.get("/api/v1/nodes/default", token).statusCode()).isEqualTo(200);

      redis.close();

      assertThat(registry.get("/health/ready", null).statusCode()).isEqualTo(503);
      var response = registry.get("/api/v1/nodes/default", token);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
      assertThat(response.getHeader("Retry-After")).isNotBlank();
      assertThat(registry.token("admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(503);
    } finally {
      redis.close();
    }
  }
}
