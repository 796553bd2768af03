package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Token issuing")
class AuthTokenTest {
  private static RegistryFixture registry;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 1);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static JsonObject part(String token, int index) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("the bootstrap admin gets a bearer token with its configured password")
  void adminGetsToken() {
    var response = registry.token("admin", RegistryFixture.ADMIN_PASSWORD);

    assertThat(response.statusCode()).isEqualTo(200);
    var body = response.bodyAsJsonObject();
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getInteger("expires_in")).isEqualTo(3600);
    assertThat(body.getString("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  @DisplayName("the token is ES256, names its key, and carries iss, sub, tenant, role, scopes, iat and exp")
  void tokenClaims() {
    var token = registry.adminToken();

    var header = part(token, 0);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(header.getString("kid")).isNotBlank();
    var claims = part(token, 1);
    assertThat(claims.getString("iss")).isEqualTo(TokenVerifier.ISSUER);
    assertThat(claims.getString("sub")).isEqualTo("admin");
    assertThat(claims.getString("tenant")).isEqualTo("default");
    assertThat(claims.getString("role")).isEqualTo("admin");
    assertThat(claims.getJsonArray("scopes")).isEqualTo(new JsonArray().add("default"));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(3600);
    assertThat(claims.fieldNames()).containsExactlyInAnyOrder("iss", "sub", "tenant", "role", "scopes", "iat", "exp");
  }

  @Test
  @DisplayName("a wrong password and an unknown user get the same 401 answer")
  void badCredentials() {
    var wrongPassword = registry.token("admin", "not the password");
    var unknownUser = registry.token("nobody-" + System.nanoTime(), "whatever-password");

    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(unknownUser.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(unknownUser.bodyAsJsonObject()).isEqualTo(wrongPassword.bodyAsJsonObject());
    assertThat(wrongPassword.bodyAsString()).doesNotContain("not the password");
  }

  @Test
  @DisplayName("the JWKS published over HTTP verifies the token, and common's TokenVerifier accepts it over the bus")
  void jwksVerifiesToken() {
    var token = registry.adminToken();

    var jwks = registry.get("/.well-known/jwks.json", null);
    assertThat(jwks.statusCode()).isEqualTo(200);
    var keys = jwks.bodyAsJsonObject().getJsonArray("keys");
    assertThat(keys).hasSize(1);
    var jwk = keys.getJsonObject(0);
    assertThat(jwk.getString("kty")).isEqualTo("EC");
    assertThat(jwk.getString("crv")).isEqualTo("P-256");
    assertThat(jwk.getString("alg")).isEqualTo("ES256");
    assertThat(jwk.getString("use")).isEqualTo("sig");
    assertThat(jwk.getString("kid")).isEqualTo(part(token, 0).getString("kid"));
    assertThat(jwk.fieldNames()).doesNotContain("d");

    // an outside verifier holding only the published JWKS
    var outside = JWTAuth.create(registry.client, new JWTAuthOptions().addJwk(jwk));
    var user = await(outside.authenticate(new TokenCredentials(token)));
    assertThat(user.principal().getString("sub")).isEqualTo("admin");

    // what every other service does: TokenVerifier fetching registry.jwks over the bus
    var principal = await(new TokenVerifier(registry.running.vertx()).verify(token));
    assertThat(principal.subject()).isEqualTo("admin");
    assertThat(principal.tenant()).isEqualTo("default");
    assertThat(principal.role()).isEqualTo(Role.ADMIN);
    assertThat(principal.scopes()).isEqualTo(List.of("default"));
  }

  @Test
  @DisplayName("registry.jwks answers the same keys as /.well-known/jwks.json")
  void jwksOverBus() {
    var reply = await(registry.running.vertx().eventBus().<JsonObject>request(Addresses.REGISTRY_JWKS, new JsonObject()));
    assertThat(reply.body()).isEqualTo(registry.get("/.well-known/jwks.json", null).bodyAsJsonObject());
  }

  @Test
  @DisplayName("an unknown grant is refused with unsupported_grant_type, a missing grant_type with invalid_request")
  void grantTypes() {
    var clientCredentials = await(registry.http.post("/api/v1/auth/token").sendJsonObject(new JsonObject()
        .put("grant_type", "authorization_code").put("code", "x")));
    var missing = await(registry.http.post("/api/v1/auth/token").sendJsonObject(new JsonObject().put("username", "admin")));
    var malformed = await(registry.http.post("/api/v1/auth/token").putHeader("Content-Type", "application/json")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer("{not json")));

    assertThat(clientCredentials.statusCode()).isEqualTo(400);
    assertThat(clientCredentials.bodyAsJsonObject().getString("error")).isEqualTo("unsupported_grant_type");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("invalid_request");
    assertThat(malformed.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("an OAuth form body works like a JSON body")
  void formBody() {
    var form = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("grant_type", "password")
        .add("username", "admin").add("password", RegistryFixture.ADMIN_PASSWORD);
    var response = await(registry.http.post("/api/v1/auth/token").sendForm(form));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("API routes answer 401 without a token")
  void apiNeedsToken() {
    var response = registry.get("/api/v1/nodes/default", null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
  }
}
