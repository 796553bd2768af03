package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Changing and deleting devices")
class DeviceChangeApiTest {
  static final String NEW_APP_S_KEY = LeakWatch.remember("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  static final String NEW_NWK_S_KEY = LeakWatch.remember("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
  private static RegistryFixture registry;
  private static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 10);
    admin = registry.adminToken();
    registry.deviceType(admin, "probe");
    registry.deviceType(admin, "meter");
    registry.node(admin, "site-a", "default", "site", "A");
    registry.node(admin, "room-a1", "site-a", "room", "A1");
    registry.node(admin, "site-b", "default", "site", "B");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static JsonObject keys(String devEui) {
    return await(registry.running.vertx().eventBus().<JsonObject>request(Addresses.REGISTRY_DEVICE_KEYS,
        new JsonObject().put("devEui", devEui))).body();
  }

  private static String members(String key) {
    return registry.redis(Request.cmd(Command.SMEMBERS).arg(key)).toString();
  }

  @Test
  @DisplayName("PATCH renames, retypes and moves a device; the node indexes follow")
  void patch() {
    registry.device(admin, "8000000000000001", "room-a1", "probe");
    var response = registry.patch("/api/v1/devices/80-00-00-00-00-00-00-01", admin, new JsonObject().put("name", "Renamed")
        .put("type", "meter").put("nodeId", "site-b"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("devEui", "8000000000000001").put("tenant", "default")
        .put("name", "Renamed").put("nodeId", "site-b").put("type", "meter")
        .put("activation", new JsonObject().put("mode", "network-decrypted")));
    assertThat(registry.get("/api/v1/devices/8000000000000001", admin).bodyAsJsonObject()).isEqualTo(response.bodyAsJsonObject());
    assertThat(members("vigie:{registry}:node:room-a1:devices")).doesNotContain("8000000000000001");
    assertThat(members("vigie:{registry}:node:site-b:devices")).contains("8000000000000001");
    assertThat(registry.get("/api/v1/devices?nodeId=site-a&recursive=true", admin).bodyAsString()).doesNotContain("8000000000000001");
  }

  @Test
  @DisplayName("a new ABP activation replaces the keys (sealed, never answered) and the DevAddr index")
  void newKeys() {
    var abp = DeviceApiTest.abp("8000000000000002", "room-a1").put("type", "probe");
    abp.getJsonObject("activation").put("devAddr", "80000002");
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(201);
    var sealedBefore = registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:device:8000000000000002").arg("appSKey")).toString();

    var response = registry.patch("/api/v1/devices/8000000000000002", admin, new JsonObject().put("activation", new JsonObject()
        .put("mode", "ABP").put("devAddr", "80000022").put("appSKey", NEW_APP_S_KEY.toUpperCase()).put("nwkSKey", NEW_NWK_S_KEY)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonObject("activation"))
        .isEqualTo(new JsonObject().put("mode", "ABP").put("devAddr", "80000022"));
    assertThat(response.bodyAsString().toLowerCase()).doesNotContain(NEW_APP_S_KEY).doesNotContain(NEW_NWK_S_KEY);

    var hash = registry.redis(Request.cmd(Command.HGETALL).arg("vigie:{registry}:device:8000000000000002")).toString().toLowerCase();
    assertThat(hash).doesNotContain(NEW_APP_S_KEY).doesNotContain(NEW_NWK_S_KEY);
    assertThat(registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:device:8000000000000002").arg("appSKey")).toString())
        .startsWith("v1:").isNotEqualTo(sealedBefore);
    assertThat(keys("8000000000000002")).isEqualTo(new JsonObject().put("devEui", "8000000000000002").put("devAddr", "80000022")
        .put("appSKey", NEW_APP_S_KEY).put("nwkSKey", NEW_NWK_S_KEY));
    assertThat(members("vigie:{registry}:devaddr:80000002")).doesNotContain("8000000000000002");
    assertThat(members("vigie:{registry}:devaddr:80000022")).contains("8000000000000002");
  }

  @Test
  @DisplayName("switching to network-decrypted drops the keys and the DevAddr; the key lookup then answers 409")
  void dropKeys() {
    var abp = DeviceApiTest.abp("8000000000000003", "room-a1").put("type", "probe");
    abp.getJsonObject("activation").put("devAddr", "80000003");
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(201);

    var response = registry.patch("/api/v1/devices/8000000000000003", admin,
        new JsonObject().put("activation", new JsonObject().put("mode", "network-decrypted")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonObject("activation")).isEqualTo(new JsonObject().put("mode", "network-decrypted"));
    var hash = registry.redis(Request.cmd(Command.HGETALL).arg("vigie:{registry}:device:8000000000000003")).toString();
    assertThat(hash).doesNotContain("appSKey").doesNotContain("nwkSKey").doesNotContain("devAddr");
    assertThat(members("vigie:{registry}:devaddr:80000003")).doesNotContain("8000000000000003");
    assertThatThrownBy(() -> keys("8000000000000003")).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(409));
  }

  @Test
  @DisplayName("bad PATCHes answer 400: unknown type or node, malformed keys, other fields, nothing to change")
  void patchValidation() {
    registry.device(admin, "8000000000000004", "room-a1", "probe");
    var path = "/api/v1/devices/8000000000000004";
    assertThat(registry.patch(path, admin, new JsonObject().put("type", "nope")).statusCode()).isEqualTo(400);
    assertThat(registry.patch(path, admin, new JsonObject().put("nodeId", "nowhere")).statusCode()).isEqualTo(400);
    var badKey = registry.patch(path, admin, new JsonObject().put("activation", new JsonObject().put("mode", "ABP")
        .put("devAddr", "80000004").put("appSKey", "zz" + NEW_APP_S_KEY.substring(2)).put("nwkSKey", NEW_NWK_S_KEY)));
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.bodyAsString()).contains("appSKey").doesNotContain(NEW_APP_S_KEY.substring(2));
    assertThat(registry.patch(path, admin, new JsonObject().put("activation", new JsonObject().put("mode", "ABP"))).statusCode())
        .isEqualTo(400);
    assertThat(registry.patch(path, admin, new JsonObject().put("devEui", "8000000000000005")).statusCode()).isEqualTo(400);
    assertThat(registry.patch(path, admin, new JsonObject().put("tenant", "other")).statusCode()).isEqualTo(400);
    assertThat(registry.patch(path, admin, new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/devices/8000000000000099", admin, new JsonObject().put("name", "X")).statusCode()).isEqualTo(404);
    assertThat(registry.get(path, admin).bodyAsJsonObject().getString("type")).isEqualTo("probe");
  }

  @Test
  @DisplayName("an operator moves devices within its site only; a viewer changes nothing (403)")
  void patchAccess() {
    registry.device(admin, "8000000000000006", "room-a1", "probe");
    var operator = registry.user(admin, "dc-operator", "operator", "site-a");
    var viewer = registry.user(admin, "dc-viewer", "viewer", "site-a");
    var path = "/api/v1/devices/8000000000000006";

    assertThat(registry.patch(path, operator, new JsonObject().put("nodeId", "site-a")).statusCode()).isEqualTo(200);
    assertThat(registry.patch(path, operator, new JsonObject().put("nodeId", "site-b")).statusCode()).isEqualTo(400);
    assertThat(registry.patch(path, viewer, new JsonObject().put("name", "X")).statusCode()).isEqualTo(403);
    assertThat(registry.delete(path, viewer).statusCode()).isEqualTo(403);
    assertThat(registry.get(path, admin).bodyAsJsonObject().getString("nodeId")).isEqualTo("site-a");

    // once moved out of its site by an admin, the device is gone for the operator
    assertThat(registry.patch(path, admin, new JsonObject().put("nodeId", "site-b")).statusCode()).isEqualTo(200);
    assertThat(registry.get(path, operator).statusCode()).isEqualTo(404);
    assertThat(registry.patch(path, operator, new JsonObject().put("name", "X")).statusCode()).isEqualTo(404);
    assertThat(registry.delete(path, operator).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("DELETE removes the device, its indexes and its keys, and publishes registry.changed")
  void delete() {
    var abp = DeviceApiTest.abp("8000000000000007", "room-a1").put("type", "probe");
    abp.getJsonObject("activation").put("devAddr", "80000007");
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(201);

    var changes = new CopyOnWriteArrayList<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED, m -> changes.add(m.body()));
    await(consumer.completion());
    try {
      assertThat(registry.delete("/api/v1/devices/8000000000000007", admin).statusCode()).isEqualTo(204);
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> changes.contains(new JsonObject().put("kind", "device")
          .put("id", "8000000000000007").put("tenant", "default")));
    } finally {
      await(consumer.unregister());
    }
    assertThat(registry.get("/api/v1/devices/8000000000000007", admin).statusCode()).isEqualTo(404);
    assertThat(registry.redis(Request.cmd(Command.EXISTS).arg("vigie:{registry}:device:8000000000000007")).toInteger()).isZero();
    assertThat(members("vigie:{registry}:node:room-a1:devices")).doesNotContain("8000000000000007");
    assertThat(members("vigie:{registry}:tenant:default:devices")).doesNotContain("8000000000000007");
    assertThat(members("vigie:{registry}:devaddr:80000007")).doesNotContain("8000000000000007");
    assertThat(registry.delete("/api/v1/devices/8000000000000007", admin).statusCode()).isEqualTo(404);
    // the DevEUI is free again
    registry.device(admin, "8000000000000007", "site-b", "probe");
  }
}
