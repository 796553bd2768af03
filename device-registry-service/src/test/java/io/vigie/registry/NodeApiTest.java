package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Nodes over REST")
class NodeApiTest {
  private static RegistryFixture registry;
  private static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 3);
    admin = registry.adminToken();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  @DisplayName("a site, building and room are created under the tenant root and answer their path from the root")
  void createAndRead() {
    var site = registry.post("/api/v1/nodes", admin, new JsonObject().put("id", "paris").put("parentId", "default")
        .put("kind", "site").put("name", "Paris").put("attributes", new JsonObject().put("city", "Paris")));
    assertThat(site.statusCode()).isEqualTo(201);
    assertThat(site.getHeader("Location")).isEqualTo("/api/v1/nodes/paris");
    assertThat(site.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "paris").put("tenant", "default")
        .put("parentId", "default").put("kind", "site").put("name", "Paris")
        .put("attributes", new JsonObject().put("city", "Paris")).put("path", new JsonArray().add("default").add("paris")));

    registry.node(admin, "paris-a", "paris", "building", "Building A");
    var room = registry.node(admin, "paris-a-kitchen", "paris-a", "room", "Kitchen");
    assertThat(room.getJsonArray("path")).containsExactly("default", "paris", "paris-a", "paris-a-kitchen");
    assertThat(room.getJsonObject("attributes")).isEqualTo(new JsonObject());

    var read = registry.get("/api/v1/nodes/paris-a-kitchen", admin);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(room);

    var root = registry.get("/api/v1/nodes/default", admin).bodyAsJsonObject();
    assertThat(root.getString("kind")).isEqualTo("tenant");
    assertThat(root.getString("name")).isEqualTo("Default");
    assertThat(root.getValue("parentId")).isNull();
    assertThat(root.getJsonArray("path")).containsExactly("default");
  }

  @Test
  @DisplayName("children are listed with their paths")
  void children() {
    registry.node(admin, "lyon", "default", "site", "Lyon");
    registry.node(admin, "lyon-b", "lyon", "building", "B");
    registry.node(admin, "lyon-a", "lyon", "building", "A");

    var response = registry.get("/api/v1/nodes/lyon/children", admin);
    assertThat(response.statusCode()).isEqualTo(200);
    var nodes = response.bodyAsJsonObject().getJsonArray("nodes");
    assertThat(nodes.stream().map(n -> ((JsonObject) n).getString("id"))).containsExactly("lyon-a", "lyon-b");
    assertThat(nodes.getJsonObject(0).getJsonArray("path")).containsExactly("default", "lyon", "lyon-a");
    assertThat(registry.get("/api/v1/nodes/lyon-a/children", admin).bodyAsJsonObject().getJsonArray("nodes")).isEmpty();
  }

  @Test
  @DisplayName("without an id, the node gets a generated one")
  void generatedId() {
    var response = registry.post("/api/v1/nodes", admin, new JsonObject().put("parentId", "default")
        .put("kind", "site").put("name", "Nameless"));
    assertThat(response.statusCode()).isEqualTo(201);
    var id = response.bodyAsJsonObject().getString("id");
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(registry.get("/api/v1/nodes/" + id, admin).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("invalid nodes are refused: unknown parent, bad kind, bad id, missing name, non-object attributes, bad JSON")
  void validation() {
    var base = new JsonObject().put("parentId", "default").put("kind", "site").put("name", "X");
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("parentId", "nowhere")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("kind", "galaxy")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("kind", "tenant")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().putNull("kind"))
        .statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("id", "has space")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("id", "x".repeat(65))).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("name", "")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes", admin, base.copy().put("attributes", "x")).statusCode()).isEqualTo(400);
    var badJson = RegistryFixture.await(registry.http.post("/api/v1/nodes").bearerTokenAuthentication(admin)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"parentId\":")));
    assertThat(badJson.statusCode()).isEqualTo(400);
    var answer = registry.post("/api/v1/nodes", admin, base.copy().put("kind", "galaxy")).bodyAsJsonObject();
    assertThat(answer.getString("error")).isEqualTo("bad_request");
    assertThat(answer.getString("message")).contains("site");
  }

  @Test
  @DisplayName("a duplicate id answers 409 and leaves the first node unchanged")
  void duplicate() {
    registry.node(admin, "dup", "default", "site", "First");
    var again = registry.post("/api/v1/nodes", admin, new JsonObject().put("id", "dup").put("parentId", "default")
        .put("kind", "site").put("name", "Second"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
    assertThat(registry.get("/api/v1/nodes/dup", admin).bodyAsJsonObject().getString("name")).isEqualTo("First");
  }

  @Test
  @DisplayName("an unknown node answers 404")
  void unknown() {
    assertThat(registry.get("/api/v1/nodes/missing", admin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/missing/children", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a user scoped to one site sees it but gets 404 for another site and the root, and cannot create there")
  void scopes() {
    registry.node(admin, "nice", "default", "site", "Nice");
    registry.node(admin, "nice-1", "nice", "building", "One");
    registry.node(admin, "brest", "default", "site", "Brest");
    var niceAdmin = registry.user(admin, "nice-admin", "admin", "nice");

    assertThat(registry.get("/api/v1/nodes/nice", niceAdmin).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/nodes/nice-1", niceAdmin).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/nodes/nice/children", niceAdmin).statusCode()).isEqualTo(200);
    var other = registry.get("/api/v1/nodes/brest", niceAdmin);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.bodyAsJsonObject()).isEqualTo(registry.get("/api/v1/nodes/never-existed", niceAdmin).bodyAsJsonObject()
        .put("message", "node 'brest' not found"));
    assertThat(registry.get("/api/v1/nodes/default", niceAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/brest/children", niceAdmin).statusCode()).isEqualTo(404);

    // writing: under its own site yes, under another site it answers like an unknown parent
    assertThat(registry.post("/api/v1/nodes", niceAdmin, new JsonObject().put("id", "nice-2").put("parentId", "nice")
        .put("kind", "building").put("name", "Two")).statusCode()).isEqualTo(201);
    var elsewhere = registry.post("/api/v1/nodes", niceAdmin, new JsonObject().put("id", "brest-x").put("parentId", "brest")
        .put("kind", "building").put("name", "X"));
    var nowhere = registry.post("/api/v1/nodes", niceAdmin, new JsonObject().put("id", "brest-x").put("parentId", "nothing")
        .put("kind", "building").put("name", "X"));
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(nowhere.statusCode()).isEqualTo(400);
    assertThat(registry.get("/api/v1/nodes/brest-x", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a viewer may read its subtree but creating a node there answers 403")
  void viewerCannotWrite() {
    registry.node(admin, "metz", "default", "site", "Metz");
    var viewer = registry.user(admin, "metz-viewer", "viewer", "metz");

    assertThat(registry.get("/api/v1/nodes/metz", viewer).statusCode()).isEqualTo(200);
    var response = registry.post("/api/v1/nodes", viewer, new JsonObject().put("id", "metz-1").put("parentId", "metz")
        .put("kind", "building").put("name", "One"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  @Test
  @DisplayName("creating a node publishes registry.changed")
  void publishesChange() throws InterruptedException {
    var changes = new LinkedBlockingQueue<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED,
        message -> changes.add(message.body()));
    RegistryFixture.await(consumer.completion());
    try {
      registry.node(admin, "lille", "default", "site", "Lille");
      JsonObject change;
      do {
        change = changes.poll(10, TimeUnit.SECONDS);
        assertThat(change).as("registry.changed for lille").isNotNull();
      } while (!"lille".equals(change.getString("id")));
      assertThat(change).isEqualTo(new JsonObject().put("kind", "node").put("id", "lille").put("tenant", "default"));
    } finally {
      RegistryFixture.await(consumer.unregister());
    }
  }

  @Test
  @DisplayName("only admins create users, within their own scopes")
  void users() {
    registry.node(admin, "tours", "default", "site", "Tours");
    registry.node(admin, "vannes", "default", "site", "Vannes");
    var toursAdmin = registry.user(admin, "tours-admin", "admin", "tours");
    var operator = registry.user(admin, "tours-operator", "operator", "tours");

    var body = new JsonObject().put("username", "tours-viewer").put("password", "long-enough-1").put("role", "viewer");
    assertThat(registry.post("/api/v1/users", operator, body.copy().put("scopes", new JsonArray().add("tours"))).statusCode())
        .isEqualTo(403);
    assertThat(registry.post("/api/v1/users", toursAdmin, body.copy().put("scopes", new JsonArray().add("vannes")))
        .statusCode()).isEqualTo(400);
    var created = registry.post("/api/v1/users", toursAdmin, body.copy().put("scopes", new JsonArray().add("tours")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject()).isEqualTo(new JsonObject().put("username", "tours-viewer")
        .put("tenant", "default").put("role", "viewer").put("scopes", new JsonArray().add("tours")));
    assertThat(created.bodyAsString()).doesNotContain("long-enough-1");
    assertThat(registry.post("/api/v1/users", toursAdmin, body.copy().put("scopes", new JsonArray().add("tours")))
        .statusCode()).isEqualTo(409);
    assertThat(registry.get("/api/v1/users/tours-viewer", toursAdmin).bodyAsJsonObject())
        .isEqualTo(created.bodyAsJsonObject());
    assertThat(registry.get("/api/v1/users/tours-operator", operator).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/users/tours-viewer", operator).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/users/admin", toursAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/users/tours-admin", admin).statusCode()).isEqualTo(200);
    assertThat(registry.post("/api/v1/users", toursAdmin, body.copy().put("username", "v2").put("password", "short")
        .put("scopes", new JsonArray().add("tours"))).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/users", toursAdmin, body.copy().put("username", "v3").put("role", "god")
        .put("scopes", new JsonArray().add("tours"))).statusCode()).isEqualTo(400);
  }
}
