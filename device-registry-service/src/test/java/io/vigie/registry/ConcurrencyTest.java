package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.SecretBox;
import io.vigie.registry.store.Outcome;
import io.vigie.registry.store.RedisDeviceStore;
import io.vigie.registry.store.RedisNodeStore;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Concurrent writes")
class ConcurrencyTest {
  private static RegistryFixture registry;
  private static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 13);
    admin = registry.adminToken();
    registry.deviceType(admin, "probe");
    registry.deviceType(admin, "meter");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Sends {@code n} requests at once and waits for all the answers. */
  private static List<HttpResponse<Buffer>> parallel(int n, IntFunction<Future<HttpResponse<Buffer>>> request) {
    var futures = IntStream.range(0, n).mapToObj(request).toList();
    await(Future.join(futures));
    return futures.stream().map(Future::result).toList();
  }

  private static Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return registry.http.post(path).bearerTokenAuthentication(admin).sendJsonObject(body);
  }

  private static List<Integer> statuses(List<HttpResponse<Buffer>> responses) {
    return responses.stream().map(HttpResponse::statusCode).toList();
  }

  private static int members(String key) {
    return registry.redis(Request.cmd(Command.SCARD).arg(key)).toInteger();
  }

  @Test
  @DisplayName("20 children created at once under one node are all there, in every index")
  void parallelChildren() {
    registry.node(admin, "pc-site", "default", "site", "Site");
    var responses = parallel(20, i -> post("/api/v1/nodes", new JsonObject().put("id", "pc-room-" + i)
        .put("parentId", "pc-site").put("kind", "room").put("name", "Room " + i)));

    assertThat(statuses(responses)).containsOnly(201);
    var children = registry.get("/api/v1/nodes/pc-site/children", admin).bodyAsJsonObject().getJsonArray("nodes");
    assertThat(children).hasSize(20);
    assertThat(members("vigie:{registry}:node:pc-site:children")).isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      assertThat(registry.redis(Request.cmd(Command.SISMEMBER).arg("vigie:{registry}:tenant:default:nodes").arg("pc-room-" + i))
          .toInteger()).isEqualTo(1);
    }
  }

  @RepeatedTest(3)
  @DisplayName("10 moves at once that together would close a cycle: some are refused, and the tree stays a tree")
  void parallelCyclicMoves(org.junit.jupiter.api.RepetitionInfo repetition) {
    var prefix = "cy" + repetition.getCurrentRepetition() + "-";
    registry.node(admin, prefix + "site", "default", "site", "Site");
    for (int i = 0; i < 10; i++) registry.node(admin, prefix + i, prefix + "site", "room", "Room " + i);

    // node i under node i+1 (mod 10): all ten together would be a ring
    var responses = parallel(10, i -> post("/api/v1/nodes/" + prefix + i + "/move",
        new JsonObject().put("parentId", prefix + ((i + 1) % 10))));

    assertThat(statuses(responses)).isSubsetOf(200, 400, 409);
    assertThat(statuses(responses)).filteredOn(s -> s != 200).isNotEmpty();
    // every node still reaches the root, and the tree from the site holds each node exactly once
    for (int i = 0; i < 10; i++) {
      var node = registry.get("/api/v1/nodes/" + prefix + i, admin);
      assertThat(node.statusCode()).isEqualTo(200);
      var path = node.bodyAsJsonObject().getJsonArray("path");
      assertThat(path.getString(0)).isEqualTo("default");
      assertThat(path.getString(1)).isEqualTo(prefix + "site");
      assertThat(path.getString(path.size() - 1)).isEqualTo(prefix + i);
      assertThat(new HashSet<>(path.getList())).hasSize(path.size());
    }
    var tree = registry.get("/api/v1/nodes/" + prefix + "site/tree", admin).bodyAsJsonObject();
    var seen = new ArrayList<String>();
    collect(tree, seen);
    assertThat(seen).hasSize(11).doesNotHaveDuplicates();
    // the children sets agree with the parents
    int total = 0;
    for (var id : seen) total += members("vigie:{registry}:node:" + id + ":children");
    assertThat(total).isEqualTo(10);
  }

  private static void collect(JsonObject node, List<String> ids) {
    ids.add(node.getString("id"));
    node.getJsonArray("children").forEach(child -> collect((JsonObject) child, ids));
  }

  @Test
  @DisplayName("two nodes moved under each other at once: exactly one move wins")
  void crossedMoves() {
    registry.node(admin, "x2-site", "default", "site", "Site");
    registry.node(admin, "x2-a", "x2-site", "room", "A");
    registry.node(admin, "x2-b", "x2-site", "room", "B");
    var a = post("/api/v1/nodes/x2-a/move", new JsonObject().put("parentId", "x2-b"));
    var b = post("/api/v1/nodes/x2-b/move", new JsonObject().put("parentId", "x2-a"));
    await(Future.join(a, b));
    assertThat(List.of(a.result().statusCode(), b.result().statusCode())).containsExactlyInAnyOrder(200, 400);
  }

  @Test
  @DisplayName("10 creations of one DevEUI at once: exactly one is created, the others answer 409")
  void sameDevEui() {
    registry.node(admin, "se-site", "default", "site", "Site");
    var responses = parallel(10, i -> post("/api/v1/devices", DeviceApiTest.clear("a100000000000001", "se-site").put("type", "probe")
        .put("name", "Attempt " + i)));
    assertThat(statuses(responses)).isSubsetOf(201, 409);
    assertThat(statuses(responses).stream().filter(s -> s == 201)).hasSize(1);
    assertThat(members("vigie:{registry}:node:se-site:devices")).isEqualTo(1);
  }

  @Test
  @DisplayName("PATCHes of different fields of one device at once are all kept")
  void concurrentPatches() {
    registry.node(admin, "cp-site", "default", "site", "Site");
    registry.node(admin, "cp-room", "cp-site", "room", "Room");
    registry.device(admin, "a200000000000001", "cp-site", "probe");
    var name = registry.http.patch("/api/v1/devices/a200000000000001").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("name", "Renamed"));
    var type = registry.http.patch("/api/v1/devices/a200000000000001").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("type", "meter"));
    var node = registry.http.patch("/api/v1/devices/a200000000000001").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("nodeId", "cp-room"));
    await(Future.join(name, type, node));
    assertThat(List.of(name.result().statusCode(), type.result().statusCode(), node.result().statusCode())).containsOnly(200);

    var device = registry.get("/api/v1/devices/a200000000000001", admin).bodyAsJsonObject();
    assertThat(device.getString("name")).isEqualTo("Renamed");
    assertThat(device.getString("type")).isEqualTo("meter");
    assertThat(device.getString("nodeId")).isEqualTo("cp-room");
    assertThat(members("vigie:{registry}:node:cp-site:devices")).isZero();
    assertThat(members("vigie:{registry}:node:cp-room:devices")).isEqualTo(1);
  }

  @Test
  @DisplayName("a write decided on a path that has changed meanwhile is refused by the store (CHANGED), so access is decided again")
  void staleAccessDecision() {
    registry.node(admin, "st-a", "default", "site", "A");
    registry.node(admin, "st-b", "default", "site", "B");
    registry.node(admin, "st-room", "st-a", "room", "Room");
    var nodes = new RedisNodeStore(registry.raw, 60);
    var devices = new RedisDeviceStore(registry.raw, new SecretBox(new byte[32]));
    var decidedOn = List.of("default", "st-a", "st-room");

    // someone moves the room to B after an operator of A was allowed to write into it
    assertThat(registry.post("/api/v1/nodes/st-room/move", admin, new JsonObject().put("parentId", "st-b")).statusCode())
        .isEqualTo(200);

    var device = new Device("a300000000000001", "default", "Late", "st-room", "probe", Device.NETWORK_DECRYPTED, null);
    assertThat(await(devices.create(device, null, decidedOn))).isEqualTo(Outcome.CHANGED);
    assertThat(await(nodes.create(new Node("st-late", "default", "st-room", "asset", "Late", new JsonObject()), decidedOn)))
        .isEqualTo(Outcome.CHANGED);
    assertThat(await(nodes.delete("st-room", decidedOn, true)).outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(await(nodes.update("st-room", decidedOn, new io.vigie.registry.domain.NodeChange("X", null, null))))
        .isEqualTo(Outcome.CHANGED);
    assertThat(registry.get("/api/v1/devices/a300000000000001", admin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/nodes/st-room", admin).bodyAsJsonObject().getString("name")).isEqualTo("Room");
    // decided on the current path, it goes through
    assertThat(await(devices.create(device, null, List.of("default", "st-b", "st-room")))).isEqualTo(Outcome.OK);
  }
}
