package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.store.RedisKeys;
import io.vigie.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Behind one trusted proxy (as behind the Kubernetes Ingress): the client address is in X-Forwarded-For. */
@RealRedis
@DisplayName("Throttling of failed logins (per username and address, and per address)")
class LoginThrottleTest {
  private static final String ATTACKER = "203.0.113.7";
  private static final String OWNER = "198.51.100.20";

  private RegistryFixture registry;

  @BeforeEach
  void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 6, new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", 1))
        .put("auth", new JsonObject().put("adminPassword", RegistryFixture.ADMIN_PASSWORD)
            .put("throttle", new JsonObject().put("maxFailuresPerUser", 5).put("maxFailuresPerIp", 12)
                .put("firstDelaySeconds", 2).put("maxDelaySeconds", 20))));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private HttpResponse<Buffer> token(String from, String username, String password) {
    LeakWatch.remember(password);
    return await(registry.http.post("/api/v1/auth/token")
        // a client may write its own X-Forwarded-For: only the entry the trusted proxy appended counts
        .putHeader("X-Forwarded-For", "10.9.9.9, " + from)
        .sendJsonObject(new JsonObject().put("grant_type", "password").put("username", username)
            .put("password", password)));
  }

  private void failFiveTimes(String from, String username) {
    for (int i = 0; i < 5; i++) {
      assertThat(token(from, username, "wrong-" + i).statusCode()).as("attempt %d", i).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("after 5 failures for a username from one address, the next try from there waits (429, Retry-After), even with the right password")
  void perUsernameAndAddress() {
    failFiveTimes(ATTACKER, "admin");

    var throttled = token(ATTACKER, "admin", RegistryFixture.ADMIN_PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
    assertThat(Integer.parseInt(throttled.getHeader("Retry-After"))).isBetween(1, 2);
  }

  @Test
  @DisplayName("while an attacker is slowed down, the owner logs in from another address with the right password")
  void ownerNotLockedOut() {
    failFiveTimes(ATTACKER, "admin");
    assertThat(token(ATTACKER, "admin", "wrong-again").statusCode()).isEqualTo(429);

    var owner = token(OWNER, "admin", RegistryFixture.ADMIN_PASSWORD);
    assertThat(owner.statusCode()).as(owner.bodyAsString()).isEqualTo(200);
    // and the attacker's delay is not lifted by the owner's success
    assertThat(token(ATTACKER, "admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  @DisplayName("each further failure doubles the delay, up to the longest delay")
  void growingDelay() {
    failFiveTimes(ATTACKER, "admin");
    var delays = new java.util.ArrayList<Integer>();
    for (int i = 0; i < 5; i++) {
      // the delay has passed (its block is gone): one more wrong password
      await(registry.raw.send(Request.cmd(Command.DEL).arg(RedisKeys.loginBlockOfUserFrom("admin", ATTACKER))));
      assertThat(token(ATTACKER, "admin", "wrong-later-" + i).statusCode()).isEqualTo(401);
      delays.add(Integer.parseInt(token(ATTACKER, "admin", "any").getHeader("Retry-After")));
    }
    // 2 s after the 5th failure; then 4, 8, 16, 20 (capped), 20
    assertThat(delays).containsExactly(4, 8, 16, 20, 20);
  }

  @Test
  @DisplayName("unknown usernames are slowed the same way (no hint that they do not exist)")
  void unknownUsername() {
    failFiveTimes(ATTACKER, "ghost");
    assertThat(token(ATTACKER, "ghost", "wrong").statusCode()).isEqualTo(429);
  }

  @Test
  @DisplayName("a success forgets that username's earlier failures from that address")
  void successResets() {
    // 3 + 3 failures: past the per-username limit (5) unless the success in between reset the count,
    // below the per-address limit (12)
    for (int i = 0; i < 3; i++) {
      assertThat(token(OWNER, "admin", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(token(OWNER, "admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(token(OWNER, "admin", "wrong-again-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(token(OWNER, "admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("one address spraying many usernames is throttled after its own limit; other addresses are not")
  void perAddress() {
    for (int i = 0; i < 12; i++) {
      assertThat(token(ATTACKER, "user-" + i, "wrong").statusCode()).as("attempt %d", i).isEqualTo(401);
    }
    var throttled = token(ATTACKER, "admin", RegistryFixture.ADMIN_PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isNotBlank();
    assertThat(token(OWNER, "admin", RegistryFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("failures, throttled tries and successes are counted in the metrics")
  void counted() {
    failFiveTimes(ATTACKER, "admin");
    token(ATTACKER, "admin", "wrong");
    token(OWNER, "admin", RegistryFixture.ADMIN_PASSWORD);

    var meters = registry.running.meters();
    assertThat(meters.counter("vigie.registry.logins", "grant", "password", "result", "failure").count()).isEqualTo(5);
    assertThat(meters.counter("vigie.registry.logins", "grant", "password", "result", "throttled").count()).isEqualTo(1);
    assertThat(meters.counter("vigie.registry.logins", "grant", "password", "result", "success").count()).isEqualTo(1);
  }
}
