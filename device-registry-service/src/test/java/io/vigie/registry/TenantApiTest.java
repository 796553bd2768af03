package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Tenants over REST")
class TenantApiTest {
  private static RegistryFixture registry;
  private static String platform;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 8);
    platform = registry.adminToken();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static List<String> keysMatching(String pattern) {
    var out = registry.redis(Request.cmd(Command.KEYS).arg(pattern));
    return out.stream().map(Object::toString).toList();
  }

  @Test
  @DisplayName("a platform admin creates a tenant with its first admin: 201 with the root node, and that admin works in it")
  void create() {
    var response = registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "acme").put("name", "ACME")
        .put("admin", new JsonObject().put("username", "acme-boss").put("password", "acme-boss-password")));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/nodes/acme");
    var body = response.bodyAsJsonObject();
    assertThat(body.getString("id")).isEqualTo("acme");
    assertThat(body.getString("kind")).isEqualTo("tenant");
    assertThat(body.getString("name")).isEqualTo("ACME");
    assertThat(body.getValue("parentId")).isNull();
    assertThat(body.getJsonArray("path")).containsExactly("acme");
    assertThat(body.getJsonObject("admin")).isEqualTo(new JsonObject().put("username", "acme-boss").put("tenant", "acme")
        .put("role", "admin").put("scopes", new JsonArray().add("acme")));
    assertThat(response.bodyAsString()).doesNotContain("acme-boss-password");

    var boss = registry.login("acme-boss", "acme-boss-password");
    assertThat(registry.get("/api/v1/nodes/acme", boss).statusCode()).isEqualTo(200);
    registry.node(boss, "acme-lab", "acme", "site", "Lab");
    assertThat(registry.get("/api/v1/nodes/acme-lab", boss).bodyAsJsonObject().getString("tenant")).isEqualTo("acme");
    // a new tenant's admin is no platform admin
    assertThat(registry.get("/api/v1/tenants", boss).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("tenants are listed for platform admins only")
  void list() {
    registry.tenant(platform, "listed", "Listed Inc");
    var response = registry.get("/api/v1/tenants", platform);
    assertThat(response.statusCode()).isEqualTo(200);
    var tenants = response.bodyAsJsonObject().getJsonArray("tenants");
    assertThat(tenants.stream().map(t -> ((JsonObject) t).getString("id"))).contains("default", "listed").isSorted();
    var listed = tenants.stream().map(JsonObject.class::cast).filter(t -> t.getString("id").equals("listed")).findFirst().orElseThrow();
    assertThat(listed.getString("name")).isEqualTo("Listed Inc");
    assertThat(listed.getString("createdAt")).isNotBlank();
  }

  @Test
  @DisplayName("only platform admins manage tenants: a site admin, an operator at the root and another tenant's admin get 403")
  void onlyPlatformAdmins() {
    registry.node(platform, "tenants-site", "default", "site", "Site");
    var siteAdmin = registry.user(platform, "tenants-site-admin", "admin", "tenants-site");
    var rootOperator = registry.user(platform, "tenants-root-operator", "operator", "default");
    var otherAdmin = registry.tenant(platform, "other-co", "Other");

    for (var token : List.of(siteAdmin, rootOperator, otherAdmin)) {
      assertThat(registry.post("/api/v1/tenants", token, new JsonObject().put("id", "sneaky").put("name", "S"))
          .statusCode()).isEqualTo(403);
      assertThat(registry.get("/api/v1/tenants", token).statusCode()).isEqualTo(403);
      assertThat(registry.delete("/api/v1/tenants/other-co", token).statusCode()).isEqualTo(403);
      assertThat(registry.get("/api/v1/tenants", token).bodyAsString()).doesNotContain("listed").doesNotContain("acme");
    }
    assertThat(registry.get("/api/v1/nodes/sneaky", platform).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/other-co", otherAdmin).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a tenant id already used by a tenant or a node, or invalid, is refused")
  void conflicts() {
    registry.node(platform, "taken-node", "default", "site", "Taken");
    assertThat(registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "default").put("name", "X")).statusCode())
        .isEqualTo(409);
    assertThat(registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "taken-node").put("name", "X"))
        .statusCode()).isEqualTo(409);
    assertThat(registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "bad id").put("name", "X")).statusCode())
        .isEqualTo(400);
    assertThat(registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "noname")).statusCode()).isEqualTo(400);
    var takenUser = registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "user-clash").put("name", "X")
        .put("admin", new JsonObject().put("username", "admin").put("password", "whatever-long")));
    assertThat(takenUser.statusCode()).isEqualTo(409);
    // nothing of it was created
    assertThat(registry.get("/api/v1/tenants", platform).bodyAsString()).doesNotContain("user-clash");
    assertThat(keysMatching("vigie:*user-clash*")).isEmpty();
  }

  @Test
  @DisplayName("no request crosses tenants: another tenant's admin sees none of default's nodes, devices or users")
  void isolation() {
    registry.node(platform, "iso-site", "default", "site", "Isolated Site");
    registry.deviceType(platform, "iso-type");
    registry.device(platform, "1500000000000001", "iso-site", "iso-type");
    var globex = registry.tenant(platform, "globex", "Globex");
    registry.deviceType(globex, "iso-type");

    assertThat(registry.get("/api/v1/nodes/iso-site", globex).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/default", globex).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/default/tree", globex).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices/1500000000000001", globex).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/users/admin", globex).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices", globex).bodyAsString()).doesNotContain("1500000000000001");
    assertThat(registry.get("/api/v1/users", globex).bodyAsString()).doesNotContain("\"username\":\"admin\"");
    // writes that refer to default's nodes answer like references to nothing
    var response = registry.post("/api/v1/devices", globex, DeviceApiTest.clear("1500000000000002", "iso-site").put("type", "iso-type"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", globex, new JsonObject().put("parentId", "iso-site").put("kind", "room")
        .put("name", "Intruder")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes/iso-site/move", globex, new JsonObject().put("parentId", "globex")).statusCode())
        .isEqualTo(404);
    // and the platform admin does not reach into globex either
    registry.node(globex, "globex-site", "globex", "site", "Globex Site");
    assertThat(registry.get("/api/v1/nodes/globex-site", platform).statusCode()).isEqualTo(404);
    assertThat(registry.post("/api/v1/nodes/iso-site/move", platform, new JsonObject().put("parentId", "globex-site"))
        .statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("deleting a tenant removes everything of it from Redis, publishes the changes, and its users' tokens see nothing")
  void delete() {
    var initech = registry.tenant(platform, "initech", "Initech");
    registry.node(initech, "initech-hq", "initech", "site", "HQ");
    registry.deviceType(initech, "tps");
    var abp = DeviceApiTest.abp("1600000000000001", "initech-hq").put("type", "tps");
    abp.getJsonObject("activation").put("devAddr", "16000001");
    assertThat(registry.post("/api/v1/devices", initech, abp).statusCode()).isEqualTo(201);
    registry.user(initech, "initech-viewer", "viewer", "initech-hq");
    var client = registry.post("/api/v1/clients", initech, new JsonObject().put("name", "Partner")
        .put("scopes", new JsonArray().add("initech-hq")));
    assertThat(client.statusCode()).isEqualTo(201);
    assertThat(keysMatching("vigie:*initech*")).isNotEmpty();

    var changes = new CopyOnWriteArrayList<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED, m -> changes.add(m.body()));
    RegistryFixture.await(consumer.completion());
    try {
      assertThat(registry.delete("/api/v1/tenants/initech", platform).statusCode()).isEqualTo(204);
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> changes.stream().anyMatch(c -> c.getString("kind").equals("tenant")));
      assertThat(changes).contains(new JsonObject().put("kind", "device").put("id", "1600000000000001").put("tenant", "initech"),
          new JsonObject().put("kind", "node").put("id", "initech-hq").put("tenant", "initech"),
          new JsonObject().put("kind", "user").put("id", "initech-viewer").put("tenant", "initech"),
          new JsonObject().put("kind", "tenant").put("id", "initech").put("tenant", "initech"));
    } finally {
      RegistryFixture.await(consumer.unregister());
    }

    // only the tombstones of its node ids remain (they expire after a token lifetime)
    assertThat(keysMatching("vigie:*initech*")).containsExactlyInAnyOrder("vigie:{registry}:tombstone:node:initech",
        "vigie:{registry}:tombstone:node:initech-hq");
    assertThat(keysMatching("vigie:*1600000000000001*")).isEmpty();
    assertThat(keysMatching("vigie:{registry}:devaddr:16000001")).isEmpty();
    assertThat(keysMatching("vigie:{registry}:client:*")).isEmpty();
    assertThat(registry.get("/api/v1/tenants", platform).bodyAsString()).doesNotContain("initech");
    // a token issued before the deletion finds nothing
    assertThat(registry.get("/api/v1/nodes/initech", initech).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices", initech).bodyAsJsonObject().getJsonArray("devices")).isEmpty();
    // and the id is not given again while such tokens live
    assertThat(registry.post("/api/v1/tenants", platform, new JsonObject().put("id", "initech").put("name", "Again"))
        .statusCode()).isEqualTo(409);
    assertThat(registry.token("initech-admin", "initech-admin-password").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("the platform tenant cannot be deleted, and an unknown tenant answers 404")
  void deleteRefused() {
    assertThat(registry.delete("/api/v1/tenants/default", platform).statusCode()).isEqualTo(400);
    assertThat(registry.delete("/api/v1/tenants/nobody", platform).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/default", platform).statusCode()).isEqualTo(200);
  }
}
