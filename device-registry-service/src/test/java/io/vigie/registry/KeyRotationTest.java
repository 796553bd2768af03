package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.store.KeyFiles;
import io.vigie.testing.RealRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("JWT signing-key rotation")
class KeyRotationTest {
  private RegistryFixture registry;

  @BeforeEach
  void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 15, new JsonObject().put("auth", new JsonObject()
        .put("adminPassword", RegistryFixture.ADMIN_PASSWORD).put("jwtKeyCheckMs", 200).put("jwtKeyPublishAheadMs", 3000)));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private List<String> publishedKids() {
    return registry.get("/.well-known/jwks.json", null).bodyAsJsonObject().getJsonArray("keys").stream()
        .map(key -> ((JsonObject) key).getString("kid")).toList();
  }

  private static String kid(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8)).getString("kid");
  }

  @Test
  @DisplayName("after a rotation JWKS serves the old and the new key, new tokens use the new one, and a token signed "
      + "before still works on the registry's routes and on every other service's verifier")
  void oldTokensKeepWorking() throws Exception {
    var before = registry.adminToken();
    var oldKid = kid(before);
    var keyFile = registry.dataDir.resolve("jwt-signing-key.pem");
    // what an operator does, and what the registry does itself after auth.jwtKeyMaxAgeDays
    Files.move(keyFile, KeyFiles.retiredName(keyFile, Instant.now()));

    await().atMost(Duration.ofSeconds(20)).until(() -> publishedKids().size() == 2);
    // published first, the new key signs a moment later (once every verifier may have fetched it)
    assertThat(kid(registry.adminToken())).isEqualTo(oldKid);
    await().atMost(Duration.ofSeconds(20)).until(() -> !kid(registry.adminToken()).equals(oldKid));
    var after = registry.adminToken();
    assertThat(publishedKids()).containsExactlyInAnyOrder(oldKid, kid(after));

    for (var token : List.of(before, after)) {
      assertThat(registry.get("/api/v1/users", token).statusCode()).isEqualTo(200);
      // what the gateway, enrichment, alert, decoder and realtime services use (registry.jwks over the bus)
      var principal = await(new TokenVerifier(registry.running.vertx()).verify(token));
      assertThat(principal.subject()).isEqualTo("admin");
    }
  }

  @Test
  @DisplayName("once its last token has expired, the retired key leaves JWKS and its file is deleted")
  void retiredKeyDropped() throws Exception {
    var before = registry.adminToken();
    var keyFile = registry.dataDir.resolve("jwt-signing-key.pem");
    // retired longer ago than the longest token lifetime (1 h) plus the margin
    var retired = KeyFiles.retiredName(keyFile, Instant.now().minus(Duration.ofHours(2)));
    Files.move(keyFile, retired);

    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(retired));
    assertThat(publishedKids()).hasSize(1).doesNotContain(kid(before));
    assertThat(registry.running.vertx().executeBlocking(() -> null).compose(ignored ->
            new TokenVerifier(registry.running.vertx()).verify(before)).transform(result -> io.vertx.core.Future.succeededFuture(result.failed()))
        .toCompletionStage().toCompletableFuture().get()).as("a verifier fetching the keys now refuses the old token").isTrue();
    assertThat(registry.get("/api/v1/users", registry.adminToken()).statusCode()).isEqualTo(200);
  }
}
