package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

@RealRedis
@DisplayName("Users and partner clients")
class UserClientApiTest {
  static RegistryFixture registry;
  static String admin;
  /** Many failed logins on purpose, all from 127.0.0.1: only the per-name limit should bite. */
  static final JsonObject SETTINGS = new JsonObject().put("auth", new JsonObject()
      .put("adminPassword", RegistryFixture.ADMIN_PASSWORD).put("throttle", new JsonObject().put("maxFailuresPerIp", 1000)));

  @BeforeAll
  static void start(EmbeddedRedis redis, TestInfo test) {
    setUp(RegistryFixture.start(redis, 12, SETTINGS, test));
  }

  /** The registry the tests run on, with its admin and three nodes. */
  static void setUp(RegistryFixture started) {
    registry = started;
    admin = registry.adminToken();
    registry.node(admin, "u-north", "default", "site", "North");
    registry.node(admin, "u-north-1", "u-north", "room", "North 1");
    registry.node(admin, "u-south", "default", "site", "South");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static List<String> names(JsonObject list, String array, String field) {
    return list.getJsonArray(array).stream().map(u -> ((JsonObject) u).getString(field)).toList();
  }

  private static JsonObject body(String username, String role, String... scopes) {
    return new JsonObject().put("username", username).put("password", username + "-password").put("role", role)
        .put("scopes", new JsonArray(List.of(scopes)));
  }

  @Test
  @DisplayName("an admin lists the users whose scopes it administers; others list only themselves")
  void list() {
    var northAdmin = registry.user(admin, "l-north-admin", "admin", "u-north");
    registry.user(admin, "l-north-viewer", "viewer", "u-north-1");
    registry.user(admin, "l-south-viewer", "viewer", "u-south");
    registry.user(admin, "l-both", "viewer", "u-north", "u-south");
    var operator = registry.user(admin, "l-operator", "operator", "u-north");

    var seen = names(registry.get("/api/v1/users", northAdmin).bodyAsJsonObject(), "users", "username");
    assertThat(seen).contains("l-north-admin", "l-north-viewer", "l-operator")
        .doesNotContain("l-south-viewer", "l-both", "admin").isSorted();
    assertThat(names(registry.get("/api/v1/users", operator).bodyAsJsonObject(), "users", "username")).containsExactly("l-operator");
    assertThat(names(registry.get("/api/v1/users", admin).bodyAsJsonObject(), "users", "username"))
        .contains("admin", "l-both", "l-south-viewer");
    assertThat(registry.get("/api/v1/users", northAdmin).bodyAsString()).doesNotContain("passwordHash").doesNotContain("argon2");
  }

  @Test
  @DisplayName("an admin changes role, scopes and password of the users it covers; outside them it gets 404")
  void patch() {
    var northAdmin = registry.user(admin, "p-north-admin", "admin", "u-north");
    registry.user(admin, "p-target", "viewer", "u-north-1");
    registry.user(admin, "p-south", "viewer", "u-south");

    var changed = registry.patch("/api/v1/users/p-target", northAdmin, new JsonObject().put("role", "operator")
        .put("scopes", new JsonArray().add("u-north")).put("password", "p-target-new-password"));
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    assertThat(changed.bodyAsJsonObject()).isEqualTo(new JsonObject().put("username", "p-target").put("tenant", "default")
        .put("role", "operator").put("scopes", new JsonArray().add("u-north")));
    assertThat(registry.token("p-target", "p-target-password").statusCode()).isEqualTo(401);
    var target = registry.login("p-target", "p-target-new-password");
    assertThat(AuthTokenTest.part(target, 1).getString("role")).isEqualTo("operator");

    assertThat(registry.patch("/api/v1/users/p-target", northAdmin, new JsonObject().put("scopes", new JsonArray().add("u-south")))
        .statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/users/p-south", northAdmin, new JsonObject().put("role", "admin")).statusCode()).isEqualTo(404);
    assertThat(registry.patch("/api/v1/users/admin", northAdmin, new JsonObject().put("role", "viewer")).statusCode()).isEqualTo(404);
    assertThat(registry.patch("/api/v1/users/p-target", northAdmin, new JsonObject().put("username", "x")).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/users/p-target", northAdmin, new JsonObject().put("role", "god")).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/users/p-target", target, new JsonObject().put("role", "admin")).statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/users/p-south", admin).bodyAsJsonObject().getString("role")).isEqualTo("viewer");
  }

  @Test
  @DisplayName("a user changes its own password with its current one, but never its own role or scopes")
  void self() {
    var me = registry.user(admin, "s-me", "viewer", "u-north");
    assertThat(registry.patch("/api/v1/users/s-me", me, new JsonObject().put("password", "s-me-second-password")).statusCode())
        .isEqualTo(400);
    assertThat(registry.patch("/api/v1/users/s-me", me, new JsonObject().put("password", "s-me-second-password")
        .put("currentPassword", "not-my-password")).statusCode()).isEqualTo(403);
    assertThat(registry.patch("/api/v1/users/s-me", me, new JsonObject().put("password", "s-me-second-password")
        .put("currentPassword", "s-me-password")).statusCode()).isEqualTo(200);
    registry.login("s-me", "s-me-second-password");
    assertThat(registry.patch("/api/v1/users/s-me", me, new JsonObject().put("scopes", new JsonArray().add("default")))
        .statusCode()).isEqualTo(403);
    assertThat(registry.patch("/api/v1/users/admin", registry.adminToken(), new JsonObject().put("role", "viewer")).statusCode())
        .isEqualTo(403);
    assertThat(registry.delete("/api/v1/users/s-me", me).statusCode()).isEqualTo(400);
    assertThat(registry.get("/api/v1/users/s-me", admin).bodyAsJsonObject().getJsonArray("scopes")).containsExactly("u-north");
  }

  @Test
  @DisplayName("an admin deletes the users it covers; they cannot log in any more; others answer 404")
  void delete() {
    var northAdmin = registry.user(admin, "d-north-admin", "admin", "u-north");
    registry.user(admin, "d-gone", "viewer", "u-north-1");
    registry.user(admin, "d-south", "viewer", "u-south");

    assertThat(registry.delete("/api/v1/users/d-south", northAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.delete("/api/v1/users/d-gone", northAdmin).statusCode()).isEqualTo(204);
    assertThat(registry.get("/api/v1/users/d-gone", admin).statusCode()).isEqualTo(404);
    assertThat(registry.token("d-gone", "d-gone-password").statusCode()).isEqualTo(401);
    assertThat(registry.redis(Request.cmd(Command.SISMEMBER).arg("vigie:{registry}:tenant:default:users").arg("d-gone")).toInteger()).isZero();
    assertThat(registry.delete("/api/v1/users/d-gone", northAdmin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("users are created by admins only, with scopes they administer; operators and viewers get 403")
  void createRules() {
    var northAdmin = registry.user(admin, "c-north-admin", "admin", "u-north");
    var operator = registry.user(admin, "c-operator", "operator", "u-north");

    assertThat(registry.post("/api/v1/users", northAdmin, body("c-room-op", "operator", "u-north-1")).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/users", northAdmin, body("c-peer", "admin", "u-north")).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/users", northAdmin, body("c-south", "viewer", "u-south")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/users", northAdmin, body("c-root", "viewer", "default")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/users", northAdmin, body("c-mixed", "viewer", "u-north", "u-south")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/users", operator, body("c-by-op", "viewer", "u-north-1")).statusCode()).isEqualTo(403);
    assertThat(registry.post("/api/v1/users", northAdmin, body("vc_reserved", "viewer", "u-north")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/users", northAdmin, body("c-empty", "viewer")).statusCode()).isEqualTo(400);
    assertThat(registry.get("/api/v1/users/c-mixed", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a partner client gets its secret once, stored hashed, and obtains scoped partner tokens with client_credentials")
  void clientCredentials() {
    var northAdmin = registry.user(admin, "k-north-admin", "admin", "u-north");
    var created = registry.post("/api/v1/clients", northAdmin, new JsonObject().put("name", "Acme dashboard")
        .put("scopes", new JsonArray().add("u-north-1")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Cache-Control")).isEqualTo("no-store");
    var client = created.bodyAsJsonObject();
    var id = client.getString("client_id");
    var secret = LeakWatch.remember(client.getString("client_secret"));
    assertThat(id).matches("vc_[A-Za-z0-9]{20}");
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    assertThat(client.getString("role")).isEqualTo("partner");
    assertThat(client.getJsonArray("scopes")).containsExactly("u-north-1");

    var stored = registry.redis(Request.cmd(Command.HGETALL).arg("vigie:{registry}:client:" + id)).toString();
    assertThat(stored).doesNotContain(secret).contains("$argon2id$");
    var listed = registry.get("/api/v1/clients", northAdmin);
    assertThat(names(listed.bodyAsJsonObject(), "clients", "client_id")).contains(id);
    assertThat(listed.bodyAsString()).doesNotContain(secret).doesNotContain("secret");
    assertThat(registry.get("/api/v1/clients/" + id, northAdmin).bodyAsString()).doesNotContain(secret);

    var token = registry.clientToken(id, secret);
    assertThat(token.statusCode()).as(token.bodyAsString()).isEqualTo(200);
    var access = LeakWatch.remember(token.bodyAsJsonObject().getString("access_token"));
    var claims = AuthTokenTest.part(access, 1);
    assertThat(claims.getString("sub")).isEqualTo(id);
    assertThat(claims.getString("role")).isEqualTo("partner");
    assertThat(claims.getJsonArray("scopes")).containsExactly("u-north-1");
    assertThat(registry.get("/api/v1/nodes/u-north-1", access).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/nodes/u-north", access).statusCode()).isEqualTo(404);
    assertThat(registry.post("/api/v1/nodes", access, new JsonObject().put("parentId", "u-north-1").put("kind", "asset")
        .put("name", "X")).statusCode()).isEqualTo(403);

    assertThat(registry.clientToken(id, secret + "x").statusCode()).isEqualTo(401);
    assertThat(registry.clientToken("vc_AAAAAAAAAAAAAAAAAAAA", secret).statusCode()).isEqualTo(401);
    assertThat(registry.clientToken("not-a-client", secret).bodyAsJsonObject())
        .isEqualTo(registry.clientToken(id, secret + "y").bodyAsJsonObject());
  }

  @Test
  @DisplayName("partner clients follow the users' rules: admins only, scopes they administer, no role above their own")
  void clientRules() {
    var northAdmin = registry.user(admin, "r-north-admin", "admin", "u-north");
    var operator = registry.user(admin, "r-operator", "operator", "u-north");
    var scoped = new JsonObject().put("name", "X").put("scopes", new JsonArray().add("u-north"));

    assertThat(registry.post("/api/v1/clients", operator, scoped).statusCode()).isEqualTo(403);
    assertThat(registry.post("/api/v1/clients", northAdmin, scoped.copy().put("scopes", new JsonArray().add("u-south")))
        .statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/clients", northAdmin, scoped.copy().put("role", "emperor")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/clients", northAdmin, new JsonObject().put("name", "No scopes")).statusCode()).isEqualTo(400);
    var viewerClient = registry.post("/api/v1/clients", northAdmin, scoped.copy().put("role", "viewer"));
    assertThat(viewerClient.statusCode()).isEqualTo(201);
    var southClient = registry.post("/api/v1/clients", admin, new JsonObject().put("name", "South")
        .put("scopes", new JsonArray().add("u-south"))).bodyAsJsonObject().getString("client_id");

    assertThat(registry.get("/api/v1/clients/" + southClient, northAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/clients", northAdmin).bodyAsString()).doesNotContain(southClient);
    assertThat(registry.get("/api/v1/clients", operator).bodyAsJsonObject().getJsonArray("clients")).isEmpty();
    assertThat(registry.delete("/api/v1/clients/" + southClient, northAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.delete("/api/v1/clients/" + southClient, operator).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("a deleted client gets no more tokens; failed client logins are throttled like passwords")
  void clientDeleteAndThrottle() {
    var created = registry.post("/api/v1/clients", admin, new JsonObject().put("name", "Ephemeral")
        .put("scopes", new JsonArray().add("u-south"))).bodyAsJsonObject();
    var id = created.getString("client_id");
    var secret = LeakWatch.remember(created.getString("client_secret"));
    assertThat(registry.clientToken(id, secret).statusCode()).isEqualTo(200);
    assertThat(registry.delete("/api/v1/clients/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(registry.get("/api/v1/clients/" + id, admin).statusCode()).isEqualTo(404);
    assertThat(registry.clientToken(id, secret).statusCode()).isEqualTo(401);

    var other = registry.post("/api/v1/clients", admin, new JsonObject().put("name", "Throttled")
        .put("scopes", new JsonArray().add("u-south"))).bodyAsJsonObject();
    var otherId = other.getString("client_id");
    LeakWatch.remember(other.getString("client_secret"));
    for (int i = 0; i < 5; i++) assertThat(registry.clientToken(otherId, "wrong-secret-" + i).statusCode()).isEqualTo(401);
    var throttled = registry.clientToken(otherId, other.getString("client_secret"));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isNotBlank();
  }
}
