package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
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
import org.junit.jupiter.api.TestInfo;

@RealRedis
@DisplayName("Changing the tree: PATCH, tree, move and delete of nodes")
class NodeChangeApiTest {
  static RegistryFixture registry;
  static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis, TestInfo test) {
    setUp(RegistryFixture.start(redis, 9, RegistryFixture.adminPassword(), test));
  }

  /** The registry the tests run on, with its admin and a device type. */
  static void setUp(RegistryFixture started) {
    registry = started;
    admin = registry.adminToken();
    registry.deviceType(admin, "probe");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static List<String> ids(JsonArray array, String field) {
    return array.stream().map(o -> ((JsonObject) o).getString(field)).toList();
  }

  private static DeviceContext context(String devEui) {
    return DeviceContext.fromJson(await(registry.running.vertx().eventBus().<JsonObject>request(
        Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", devEui))).body());
  }

  private static boolean exists(String key) {
    return registry.redis(Request.cmd(Command.EXISTS).arg(key)).toInteger() == 1;
  }

  @Test
  @DisplayName("PATCH changes name, kind and attributes; the root's new name is also the tenant's")
  void patch() {
    registry.node(admin, "p-site", "default", "site", "Old name");
    var response = registry.patch("/api/v1/nodes/p-site", admin, new JsonObject().put("name", "New name")
        .put("kind", "building").put("attributes", new JsonObject().put("floors", 3)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "p-site").put("tenant", "default")
        .put("parentId", "default").put("kind", "building").put("name", "New name")
        .put("attributes", new JsonObject().put("floors", 3)).put("path", new JsonArray().add("default").add("p-site")));
    assertThat(registry.get("/api/v1/nodes/p-site", admin).bodyAsJsonObject()).isEqualTo(response.bodyAsJsonObject());

    var acme = registry.tenant(admin, "p-tenant", "Before");
    assertThat(registry.patch("/api/v1/nodes/p-tenant", acme, new JsonObject().put("name", "After")).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/tenants", admin).bodyAsString()).contains("After").doesNotContain("Before");
    assertThat(registry.patch("/api/v1/nodes/p-tenant", acme, new JsonObject().put("kind", "site")).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("PATCH refuses other fields, empty changes, bad kinds, and answers 404 for a missing node")
  void patchValidation() {
    registry.node(admin, "pv-site", "default", "site", "Site");
    assertThat(registry.patch("/api/v1/nodes/pv-site", admin, new JsonObject().put("parentId", "default")).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/nodes/pv-site", admin, new JsonObject().put("id", "x")).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/nodes/pv-site", admin, new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/nodes/pv-site", admin, new JsonObject().put("kind", "tenant")).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/nodes/pv-site", admin, new JsonObject().put("attributes", 3)).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/nodes/pv-missing", admin, new JsonObject().put("name", "X")).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/pv-site", admin).bodyAsJsonObject().getString("name")).isEqualTo("Site");
  }

  @Test
  @DisplayName("the tree nests the whole subtree with each node's devices and paths")
  void tree() {
    registry.node(admin, "t-site", "default", "site", "Tree site");
    registry.node(admin, "t-b", "t-site", "building", "B");
    registry.node(admin, "t-a", "t-site", "building", "A");
    registry.node(admin, "t-a-1", "t-a", "room", "Room 1");
    registry.device(admin, "7000000000000002", "t-a-1", "probe");
    registry.device(admin, "7000000000000001", "t-a-1", "probe");

    var response = registry.get("/api/v1/nodes/t-site/tree", admin);
    assertThat(response.statusCode()).isEqualTo(200);
    var tree = response.bodyAsJsonObject();
    assertThat(tree.getString("id")).isEqualTo("t-site");
    assertThat(tree.getJsonArray("path")).containsExactly("default", "t-site");
    var buildings = tree.getJsonArray("children");
    assertThat(ids(buildings, "id")).containsExactly("t-a", "t-b");
    var room = buildings.getJsonObject(0).getJsonArray("children").getJsonObject(0);
    assertThat(room.getString("id")).isEqualTo("t-a-1");
    assertThat(room.getJsonArray("path")).containsExactly("default", "t-site", "t-a", "t-a-1");
    assertThat(room.getJsonArray("devices")).containsExactly("7000000000000001", "7000000000000002");
    assertThat(room.getJsonArray("children")).isEmpty();
    assertThat(buildings.getJsonObject(1).getJsonArray("children")).isEmpty();
    assertThat(registry.get("/api/v1/nodes/t-missing/tree", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("moving a building to another site changes the paths of all its descendants and devices, over REST and on the bus")
  void move() {
    registry.node(admin, "m-paris", "default", "site", "Paris");
    registry.node(admin, "m-lyon", "default", "site", "Lyon");
    registry.node(admin, "m-bldg", "m-paris", "building", "Building");
    registry.node(admin, "m-floor", "m-bldg", "floor", "Floor 1");
    registry.node(admin, "m-room", "m-floor", "room", "Room");
    registry.device(admin, "7100000000000001", "m-room", "probe");
    registry.device(admin, "7100000000000002", "m-bldg", "probe");
    assertThat(context("7100000000000001").path().stream().map(PathElement::id))
        .containsExactly("default", "m-paris", "m-bldg", "m-floor", "m-room");
    var lyonViewer = registry.user(admin, "m-lyon-viewer", "viewer", "m-lyon");
    assertThat(registry.get("/api/v1/nodes/m-room", lyonViewer).statusCode()).isEqualTo(404);

    var changes = new CopyOnWriteArrayList<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED, m -> changes.add(m.body()));
    await(consumer.completion());
    try {
      var moved = registry.post("/api/v1/nodes/m-bldg/move", admin, new JsonObject().put("parentId", "m-lyon"));
      assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
      assertThat(moved.bodyAsJsonObject().getString("parentId")).isEqualTo("m-lyon");
      assertThat(moved.bodyAsJsonObject().getJsonArray("path")).containsExactly("default", "m-lyon", "m-bldg");
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> changes.size() >= 5);
      assertThat(changes).extracting(c -> c.getString("kind") + ":" + c.getString("id")).contains("node:m-bldg",
          "node:m-floor", "node:m-room", "device:7100000000000001", "device:7100000000000002");
    } finally {
      await(consumer.unregister());
    }

    assertThat(registry.get("/api/v1/nodes/m-room", admin).bodyAsJsonObject().getJsonArray("path"))
        .containsExactly("default", "m-lyon", "m-bldg", "m-floor", "m-room");
    assertThat(registry.get("/api/v1/nodes/m-floor", admin).bodyAsJsonObject().getJsonArray("path"))
        .containsExactly("default", "m-lyon", "m-bldg", "m-floor");
    assertThat(context("7100000000000001").path()).containsExactly(new PathElement("default", "tenant", "Default"),
        new PathElement("m-lyon", "site", "Lyon"), new PathElement("m-bldg", "building", "Building"),
        new PathElement("m-floor", "floor", "Floor 1"), new PathElement("m-room", "room", "Room"));
    assertThat(context("7100000000000002").path().stream().map(PathElement::id)).containsExactly("default", "m-lyon", "m-bldg");
    assertThat(ids(registry.get("/api/v1/nodes/m-paris/children", admin).bodyAsJsonObject().getJsonArray("nodes"), "id")).isEmpty();
    assertThat(ids(registry.get("/api/v1/nodes/m-lyon/children", admin).bodyAsJsonObject().getJsonArray("nodes"), "id"))
        .containsExactly("m-bldg");
    assertThat(ids(registry.get("/api/v1/devices?nodeId=m-lyon&recursive=true", admin).bodyAsJsonObject()
        .getJsonArray("devices"), "devEui")).containsExactly("7100000000000001", "7100000000000002");
    assertThat(registry.get("/api/v1/devices?nodeId=m-paris&recursive=true", admin).bodyAsJsonObject()
        .getJsonArray("devices")).isEmpty();
    // the Lyon viewer now sees what moved into Lyon
    assertThat(registry.get("/api/v1/nodes/m-room", lyonViewer).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/devices/7100000000000001", lyonViewer).statusCode()).isEqualTo(200);
    // moving it where it already is changes nothing
    assertThat(registry.post("/api/v1/nodes/m-bldg/move", admin, new JsonObject().put("parentId", "m-lyon")).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("moves that would make a cycle, go under an unknown parent or move a root are refused with 400, changing nothing")
  void moveRefused() {
    registry.node(admin, "c-site", "default", "site", "Site");
    registry.node(admin, "c-b", "c-site", "building", "B");
    registry.node(admin, "c-r", "c-b", "room", "R");

    for (var parent : List.of("c-site", "c-b", "c-r")) {
      var response = registry.post("/api/v1/nodes/c-site/move", admin, new JsonObject().put("parentId", parent));
      assertThat(response.statusCode()).as("under %s: %s", parent, response.bodyAsString()).isEqualTo(400);
    }
    assertThat(registry.post("/api/v1/nodes/c-b/move", admin, new JsonObject().put("parentId", "c-r")).bodyAsJsonObject()
        .getString("message")).contains("descendants");
    assertThat(registry.post("/api/v1/nodes/c-b/move", admin, new JsonObject().put("parentId", "nowhere")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes/c-b/move", admin, new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes/default/move", admin, new JsonObject().put("parentId", "c-site")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes/c-missing/move", admin, new JsonObject().put("parentId", "c-site")).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/c-r", admin).bodyAsJsonObject().getJsonArray("path"))
        .containsExactly("default", "c-site", "c-b", "c-r");
  }

  @Test
  @DisplayName("moving needs admin on the old and the new parent: a building admin cannot take its building away (403)")
  void moveNeedsAdminOnBothParents() {
    registry.node(admin, "a-site", "default", "site", "Site");
    registry.node(admin, "a-other", "default", "site", "Other");
    registry.node(admin, "a-b", "a-site", "building", "B");
    registry.node(admin, "a-r1", "a-b", "room", "R1");
    registry.node(admin, "a-r2", "a-b", "room", "R2");
    var buildingAdmin = registry.user(admin, "a-b-admin", "admin", "a-b");
    var siteOperator = registry.user(admin, "a-site-operator", "operator", "a-site");

    assertThat(registry.post("/api/v1/nodes/a-r2/move", buildingAdmin, new JsonObject().put("parentId", "a-r1")).statusCode())
        .isEqualTo(200);
    assertThat(registry.post("/api/v1/nodes/a-b/move", buildingAdmin, new JsonObject().put("parentId", "a-r1")).statusCode())
        .isEqualTo(403);
    assertThat(registry.post("/api/v1/nodes/a-r1/move", buildingAdmin, new JsonObject().put("parentId", "a-other")).statusCode())
        .isEqualTo(400);
    assertThat(registry.post("/api/v1/nodes/a-r1/move", siteOperator, new JsonObject().put("parentId", "a-site")).statusCode())
        .isEqualTo(403);
    assertThat(registry.delete("/api/v1/nodes/a-b", buildingAdmin).statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/nodes/a-r2", admin).bodyAsJsonObject().getString("parentId")).isEqualTo("a-r1");
  }

  @Test
  @DisplayName("deleting a node that has children or devices answers 409 without cascade and deletes nothing")
  void deleteNonEmpty() {
    registry.node(admin, "d-site", "default", "site", "Site");
    registry.node(admin, "d-room", "d-site", "room", "Room");
    registry.node(admin, "d-empty", "d-site", "room", "Empty");
    registry.device(admin, "7200000000000001", "d-room", "probe");

    assertThat(registry.delete("/api/v1/nodes/d-site", admin).statusCode()).isEqualTo(409);
    assertThat(registry.delete("/api/v1/nodes/d-room", admin).statusCode()).isEqualTo(409);
    assertThat(registry.get("/api/v1/nodes/d-room", admin).statusCode()).isEqualTo(200);
    assertThat(registry.delete("/api/v1/nodes/d-empty", admin).statusCode()).isEqualTo(204);
    assertThat(registry.get("/api/v1/nodes/d-empty", admin).statusCode()).isEqualTo(404);
    assertThat(registry.delete("/api/v1/nodes/d-empty", admin).statusCode()).isEqualTo(404);
    assertThat(registry.delete("/api/v1/nodes/default", admin).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a cascade delete removes the subtree's nodes and devices at once, from Redis too, and publishes a change for each")
  void cascade() {
    registry.node(admin, "x-site", "default", "site", "Site");
    registry.node(admin, "x-b", "x-site", "building", "B");
    registry.node(admin, "x-r", "x-b", "room", "R");
    registry.node(admin, "x-keep", "default", "site", "Kept");
    var abp = DeviceApiTest.abp("7300000000000001", "x-r").put("type", "probe");
    abp.getJsonObject("activation").put("devAddr", "73000001");
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(201);
    registry.device(admin, "7300000000000002", "x-b", "probe");
    registry.device(admin, "7300000000000003", "x-keep", "probe");
    registry.user(admin, "x-two-scopes", "viewer", "x-b", "x-keep");

    var changes = new CopyOnWriteArrayList<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED, m -> changes.add(m.body()));
    await(consumer.completion());
    try {
      assertThat(registry.delete("/api/v1/nodes/x-site?cascade=true", admin).statusCode()).isEqualTo(204);
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> changes.size() >= 6);
      assertThat(changes).extracting(c -> c.getString("kind") + ":" + c.getString("id")).containsExactlyInAnyOrder(
          "node:x-site", "node:x-b", "node:x-r", "device:7300000000000001", "device:7300000000000002", "user:x-two-scopes");
    } finally {
      await(consumer.unregister());
    }

    for (var id : List.of("x-site", "x-b", "x-r")) {
      assertThat(registry.get("/api/v1/nodes/" + id, admin).statusCode()).isEqualTo(404);
      assertThat(exists("vigie:{registry}:node:" + id)).isFalse();
      assertThat(exists("vigie:{registry}:node:" + id + ":children")).isFalse();
      assertThat(exists("vigie:{registry}:node:" + id + ":devices")).isFalse();
      assertThat(registry.redis(Request.cmd(Command.SISMEMBER).arg("vigie:{registry}:tenant:default:nodes").arg(id)).toInteger()).isZero();
    }
    for (var eui : List.of("7300000000000001", "7300000000000002")) {
      assertThat(registry.get("/api/v1/devices/" + eui, admin).statusCode()).isEqualTo(404);
      assertThat(exists("vigie:{registry}:device:" + eui)).isFalse();
      assertThat(registry.redis(Request.cmd(Command.SISMEMBER).arg("vigie:{registry}:tenant:default:devices").arg(eui)).toInteger()).isZero();
    }
    assertThat(exists("vigie:{registry}:devaddr:73000001")).isFalse();
    assertThat(registry.redis(Request.cmd(Command.SISMEMBER).arg("vigie:{registry}:node:default:children").arg("x-site")).toInteger()).isZero();
    // the rest stays
    assertThat(registry.get("/api/v1/devices/7300000000000003", admin).statusCode()).isEqualTo(200);
    // scopes naming deleted nodes are dropped, the others kept
    assertThat(registry.get("/api/v1/users/x-two-scopes", admin).bodyAsJsonObject().getJsonArray("scopes")).containsExactly("x-keep");
    // a deleted id is not given to a new node while tokens naming it may live
    var again = registry.post("/api/v1/nodes", admin, new JsonObject().put("id", "x-b").put("parentId", "default")
        .put("kind", "site").put("name", "Again"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("message")).contains("deleted recently");
  }

  @Test
  @DisplayName("a viewer or operator may not change nodes (403), and nodes outside its scope answer 404")
  void writesNeedAdmin() {
    registry.node(admin, "w-site", "default", "site", "Site");
    registry.node(admin, "w-room", "w-site", "room", "Room");
    registry.node(admin, "w-else", "default", "site", "Elsewhere");
    var operator = registry.user(admin, "w-operator", "operator", "w-site");

    assertThat(registry.patch("/api/v1/nodes/w-room", operator, new JsonObject().put("name", "X")).statusCode()).isEqualTo(403);
    assertThat(registry.delete("/api/v1/nodes/w-room", operator).statusCode()).isEqualTo(403);
    assertThat(registry.patch("/api/v1/nodes/w-else", operator, new JsonObject().put("name", "X")).statusCode()).isEqualTo(404);
    assertThat(registry.delete("/api/v1/nodes/w-else", operator).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/w-else/tree", operator).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/w-room", admin).bodyAsJsonObject().getString("name")).isEqualTo("Room");
  }
}
