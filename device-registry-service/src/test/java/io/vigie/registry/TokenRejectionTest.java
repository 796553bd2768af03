package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.domain.SigningKey;
import io.vigie.testing.RealRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Tokens the API refuses")
class TokenRejectionTest {
  private static RegistryFixture registry;
  private static SigningKey realKey;

  @BeforeAll
  static void start(EmbeddedRedis redis) throws IOException {
    registry = RegistryFixture.start(redis, 2);
    realKey = SigningKey.fromPem(Files.readString(registry.dataDir.resolve("jwt-signing-key.pem")));
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static JsonObject adminClaims() {
    return new JsonObject().put("sub", "admin").put("tenant", "default").put("role", "admin")
        .put("scopes", new JsonArray().add("default"));
  }

  private static String sign(SigningKey key, JsonObject claims, JWTOptions options) {
    var jwt = JWTAuth.create(registry.client, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("ES256").setId(key.kid()).setBuffer(key.pem())));
    return jwt.generateToken(claims, options.setAlgorithm("ES256"));
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static int statusWith(String token) {
    return registry.get("/api/v1/nodes/default", token).statusCode();
  }

  @Test
  @DisplayName("a token signed with the registry's key is accepted (the control case)")
  void genuine() {
    assertThat(statusWith(sign(realKey, adminClaims(), new JWTOptions().setIssuer("vigie").setExpiresInSeconds(60))))
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a token whose claims were edited after signing is refused")
  void forged() {
    var viewer = registry.user(registry.adminToken(), "forger", "viewer", "default");
    var parts = viewer.split("\\.");
    var claims = AuthTokenTest.part(viewer, 1).put("role", "admin");
    var forged = parts[0] + "." + b64(claims.encode()) + "." + parts[2];

    assertThat(statusWith(viewer)).isEqualTo(200);
    assertThat(statusWith(forged)).isEqualTo(401);
  }

  @Test
  @DisplayName("an expired token is refused")
  void expired() {
    var now = System.currentTimeMillis() / 1000;
    var claims = adminClaims().put("iat", now - 7200).put("exp", now - 3600);
    assertThat(statusWith(sign(realKey, claims, new JWTOptions().setIssuer("vigie")))).isEqualTo(401);
  }

  @Test
  @DisplayName("an unsigned token (alg none) is refused")
  void algNone() {
    var claims = adminClaims().put("iss", "vigie").put("exp", System.currentTimeMillis() / 1000 + 600);
    var header = new JsonObject().put("alg", "none").put("typ", "JWT");
    assertThat(statusWith(b64(header.encode()) + "." + b64(claims.encode()) + ".")).isEqualTo(401);
    assertThat(statusWith(b64(header.encode()) + "." + b64(claims.encode()))).isEqualTo(401);
  }

  @Test
  @DisplayName("a token signed by another key, even with the registry's kid, is refused")
  void wrongKey() {
    var other = SigningKey.generate();
    var jwt = JWTAuth.create(registry.client, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("ES256").setId(realKey.kid()).setBuffer(other.pem())));
    var token = jwt.generateToken(adminClaims(), new JWTOptions().setAlgorithm("ES256").setIssuer("vigie")
        .setExpiresInSeconds(600));
    assertThat(statusWith(token)).isEqualTo(401);
    assertThat(statusWith(sign(other, adminClaims(), new JWTOptions().setIssuer("vigie").setExpiresInSeconds(600))))
        .isEqualTo(401);
  }

  @Test
  @DisplayName("a token from another issuer is refused")
  void wrongIssuer() {
    assertThat(statusWith(sign(realKey, adminClaims(), new JWTOptions().setIssuer("someone-else").setExpiresInSeconds(600))))
        .isEqualTo(401);
  }

  @Test
  @DisplayName("an HMAC token keyed with the public key (algorithm confusion) is refused")
  void hmacConfusion() {
    var jwt = JWTAuth.create(registry.client, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(realKey.publicJwk().encode())));
    var token = jwt.generateToken(adminClaims(), new JWTOptions().setAlgorithm("HS256").setIssuer("vigie")
        .setExpiresInSeconds(600));
    assertThat(statusWith(token)).isEqualTo(401);
  }

  @Test
  @DisplayName("garbage in the Authorization header is refused")
  void garbage() {
    assertThat(statusWith("not-a-token")).isEqualTo(401);
    assertThat(statusWith("a.b.c")).isEqualTo(401);
  }
}
