package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.domain.SecretBox;
import io.vigie.lorawan.SessionKeys;
import io.vigie.registry.store.RedisDeviceStore;
import io.vigie.testing.RealRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

@RealRedis
@DisplayName("Device types and devices over REST")
class DeviceApiTest {
  static final String APP_S_KEY = LeakWatch.remember("2B7E151628AED2A6ABF7158809CF4F3C");
  static final String NWK_S_KEY = LeakWatch.remember("000102030405060708090a0b0c0d0e0f");
  static RegistryFixture registry;
  static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis, TestInfo test) {
    setUp(RegistryFixture.start(redis, 4, RegistryFixture.adminPassword(), test));
  }

  /** The registry the tests run on, with its admin, a small tree and a device type. */
  static void setUp(RegistryFixture started) {
    registry = started;
    admin = registry.adminToken();
    registry.node(admin, "paris", "default", "site", "Paris");
    registry.node(admin, "paris-a", "paris", "building", "Building A");
    registry.node(admin, "fridge-1", "paris-a", "asset", "Fridge 1");
    registry.node(admin, "lyon", "default", "site", "Lyon");
    assertThat(registry.put("/api/v1/device-types/lht65", admin, lpp("LHT65")).statusCode()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static JsonObject lpp(String name) {
    return new JsonObject().put("name", name).put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("measurements", new JsonObject().put("temperature_1", new JsonObject().put("name", "temperature").put("unit", "Cel")));
  }

  static JsonObject abp(String devEui, String nodeId) {
    return new JsonObject().put("devEui", devEui).put("name", "Probe " + devEui).put("nodeId", nodeId).put("type", "lht65")
        .put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "26011BDA")
            .put("appSKey", APP_S_KEY).put("nwkSKey", NWK_S_KEY));
  }

  static JsonObject clear(String devEui, String nodeId) {
    return new JsonObject().put("devEui", devEui).put("name", "Clear " + devEui).put("nodeId", nodeId).put("type", "lht65")
        .put("activation", new JsonObject().put("mode", "network-decrypted"));
  }

  @Test
  @DisplayName("a device type is created by PUT (201), replaced by PUT (200), read and listed")
  void deviceTypes() {
    var js = new JsonObject().put("name", "Custom").put("codec", new JsonObject().put("kind", "javascript")
        .put("script", "function decodeUplink(input) { return {data: {}}; }"));
    var created = registry.put("/api/v1/device-types/custom", admin, js);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject()).isEqualTo(js.copy().put("id", "custom"));
    var replaced = registry.put("/api/v1/device-types/custom", admin, js.copy().put("name", "Custom v2"));
    assertThat(replaced.statusCode()).isEqualTo(200);

    var read = registry.get("/api/v1/device-types/custom", admin);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo("Custom v2");
    assertThat(read.bodyAsJsonObject().getJsonObject("codec").getString("script")).contains("decodeUplink");
    var list = registry.get("/api/v1/device-types", admin).bodyAsJsonObject().getJsonArray("deviceTypes");
    assertThat(list.stream().map(t -> ((JsonObject) t).getString("id"))).contains("custom", "lht65");
    assertThat(registry.get("/api/v1/device-types/nope", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("invalid device types are refused with 400, and a viewer may read them but not write them (403)")
  void deviceTypeValidation() {
    assertThat(registry.put("/api/v1/device-types/x", admin, new JsonObject().put("name", "X")
        .put("codec", new JsonObject().put("kind", "mystery"))).statusCode()).isEqualTo(400);
    assertThat(registry.put("/api/v1/device-types/x", admin, new JsonObject().put("name", "X")
        .put("codec", new JsonObject().put("kind", "javascript"))).statusCode()).isEqualTo(400);
    assertThat(registry.put("/api/v1/device-types/x", admin, new JsonObject().put("name", "X")).statusCode()).isEqualTo(400);
    assertThat(registry.put("/api/v1/device-types/x", admin, lpp("X").put("measurements",
        new JsonObject().put("t", "temperature"))).statusCode()).isEqualTo(400);
    assertThat(registry.put("/api/v1/device-types/bad%20id", admin, lpp("X")).statusCode()).isEqualTo(400);

    var viewer = registry.user(admin, "types-viewer", "viewer", "default");
    assertThat(registry.get("/api/v1/device-types/lht65", viewer).statusCode()).isEqualTo(200);
    assertThat(registry.put("/api/v1/device-types/lht65", viewer, lpp("Hijacked")).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("an ABP device is created with its DevEUI normalised, and its keys are never echoed")
  void createAbp() {
    var response = registry.post("/api/v1/devices", admin, abp("70-B3-D5-7E-D0-05-A1-B2", "fridge-1"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/devices/70b3d57ed005a1b2");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("devEui", "70b3d57ed005a1b2")
        .put("tenant", "default").put("name", "Probe 70-B3-D5-7E-D0-05-A1-B2").put("nodeId", "fridge-1").put("type", "lht65")
        .put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "26011bda")));
    var read = registry.get("/api/v1/devices/70B3D57ED005A1B2", admin);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(response.bodyAsJsonObject());
    for (var body : new String[] {response.bodyAsString(), read.bodyAsString()}) {
      assertThat(body.toLowerCase()).doesNotContain(APP_S_KEY.toLowerCase()).doesNotContain(NWK_S_KEY)
          .doesNotContain("skey");
    }
  }

  @Test
  @DisplayName("session keys are sealed in Redis: no plaintext, and they open only with the master key")
  void keysSealedAtRest() throws IOException {
    assertThat(registry.post("/api/v1/devices", admin, abp("a1b2c3d4e5f60718", "fridge-1")).statusCode()).isEqualTo(201);

    var hash = registry.redis(Request.cmd(Command.HGETALL).arg("vigie:{registry}:device:a1b2c3d4e5f60718"));
    var everything = hash.toString().toLowerCase();
    assertThat(everything).contains("a1b2c3d4e5f60718");
    assertThat(everything).doesNotContain(APP_S_KEY.toLowerCase()).doesNotContain(NWK_S_KEY);
    var sealed = registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:device:a1b2c3d4e5f60718").arg("appSKey")).toString();
    assertThat(sealed).startsWith("v1:");

    var masterKey = Base64.getDecoder().decode(Files.readString(registry.dataDir.resolve("master.key")).trim());
    assertThat(new SecretBox(masterKey).open(sealed, "vigie:device:a1b2c3d4e5f60718:appSKey"))
        .isEqualTo(APP_S_KEY.toLowerCase());
    // what the decoder's key lookup will use
    var keys = RegistryFixture.await(new RedisDeviceStore(registry.raw, new SecretBox(masterKey))
        .sessionKeys("a1b2c3d4e5f60718"));
    assertThat(keys).isEqualTo(SessionKeys.fromHex("26011bda", APP_S_KEY, NWK_S_KEY));
    assertThat(keys.toString()).doesNotContain(NWK_S_KEY);
    assertThat(registry.redis(Request.cmd(Command.SMEMBERS).arg("vigie:{registry}:devaddr:26011bda")).toString())
        .contains("a1b2c3d4e5f60718");
  }

  @Test
  @DisplayName("malformed DevEUI, DevAddr, keys or mode answer 400 without echoing the key")
  void deviceValidation() {
    var badEui = registry.post("/api/v1/devices", admin, abp("70b3d57ed005a1", "fridge-1"));
    assertThat(badEui.statusCode()).isEqualTo(400);
    assertThat(badEui.bodyAsJsonObject().getString("message")).contains("devEui");

    var badAddr = abp("0000000000000001", "fridge-1");
    badAddr.getJsonObject("activation").put("devAddr", "26011BD");
    assertThat(registry.post("/api/v1/devices", admin, badAddr).statusCode()).isEqualTo(400);

    var badKey = abp("0000000000000002", "fridge-1");
    badKey.getJsonObject("activation").put("appSKey", "2B7E151628AED2A6ABF7158809CF4FZZ");
    var answer = registry.post("/api/v1/devices", admin, badKey);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.bodyAsString()).contains("appSKey").doesNotContain("2B7E151628AED2A6");

    var missingKey = abp("0000000000000003", "fridge-1");
    missingKey.getJsonObject("activation").remove("nwkSKey");
    assertThat(registry.post("/api/v1/devices", admin, missingKey).statusCode()).isEqualTo(400);

    var badMode = clear("0000000000000004", "fridge-1");
    badMode.getJsonObject("activation").put("mode", "OTAA");
    assertThat(registry.post("/api/v1/devices", admin, badMode).statusCode()).isEqualTo(400);

    assertThat(registry.post("/api/v1/devices", admin, clear("0000000000000005", "nowhere")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/devices", admin, clear("0000000000000006", "fridge-1").put("type", "unknown"))
        .statusCode()).isEqualTo(400);
    assertThat(registry.get("/api/v1/devices/0000000000000005", admin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices/not-an-eui", admin).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a DevEUI already registered answers 409, whatever its spelling")
  void duplicate() {
    assertThat(registry.post("/api/v1/devices", admin, clear("00000000000000aa", "paris-a")).statusCode()).isEqualTo(201);
    var again = registry.post("/api/v1/devices", admin, clear("00:00:00:00:00:00:00:AA", "lyon"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(registry.get("/api/v1/devices/00000000000000aa", admin).bodyAsJsonObject().getString("nodeId"))
        .isEqualTo("paris-a");
  }

  @Test
  @DisplayName("a network-decrypted device shows only its mode")
  void networkDecrypted() {
    var response = registry.post("/api/v1/devices", admin, clear("1111111111111111", "lyon"));
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getJsonObject("activation"))
        .isEqualTo(new JsonObject().put("mode", "network-decrypted"));
  }

  @Test
  @DisplayName("devices are listed per node, with the whole subtree when recursive=true")
  void listing() {
    registry.node(admin, "rennes", "default", "site", "Rennes");
    registry.node(admin, "rennes-1", "rennes", "room", "Room 1");
    registry.post("/api/v1/devices", admin, clear("2222222222222221", "rennes"));
    registry.post("/api/v1/devices", admin, clear("2222222222222222", "rennes-1"));

    var direct = registry.get("/api/v1/devices?nodeId=rennes", admin).bodyAsJsonObject().getJsonArray("devices");
    var recursive = registry.get("/api/v1/devices?nodeId=rennes&recursive=true", admin).bodyAsJsonObject()
        .getJsonArray("devices");
    assertThat(direct.stream().map(d -> ((JsonObject) d).getString("devEui"))).containsExactly("2222222222222221");
    assertThat(recursive.stream().map(d -> ((JsonObject) d).getString("devEui")))
        .containsExactly("2222222222222221", "2222222222222222");
    assertThat(registry.get("/api/v1/devices?nodeId=nowhere", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a user scoped to one site cannot see, list or add devices of another site")
  void scopes() {
    registry.post("/api/v1/devices", admin, clear("3333333333333333", "lyon"));
    registry.post("/api/v1/devices", admin, clear("3333333333333334", "paris-a"));
    var lyonOperator = registry.user(admin, "lyon-operator", "operator", "lyon");
    var lyonViewer = registry.user(admin, "lyon-viewer", "viewer", "lyon");

    assertThat(registry.get("/api/v1/devices/3333333333333333", lyonOperator).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/devices/3333333333333334", lyonOperator).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices?nodeId=paris", lyonOperator).statusCode()).isEqualTo(404);
    var mine = registry.get("/api/v1/devices", lyonOperator).bodyAsJsonObject().getJsonArray("devices");
    assertThat(mine.stream().map(d -> ((JsonObject) d).getString("nodeId"))).isNotEmpty().allMatch("lyon"::equals);

    assertThat(registry.post("/api/v1/devices", lyonOperator, clear("3333333333333335", "lyon")).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/devices", lyonOperator, clear("3333333333333336", "paris")).statusCode()).isEqualTo(400);
    assertThat(registry.post("/api/v1/devices", lyonViewer, clear("3333333333333337", "lyon")).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("creating a device publishes registry.changed")
  void publishesChange() throws InterruptedException {
    var changes = new LinkedBlockingQueue<JsonObject>();
    var consumer = registry.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_CHANGED,
        message -> changes.add(message.body()));
    RegistryFixture.await(consumer.completion());
    try {
      assertThat(registry.post("/api/v1/devices", admin, clear("4444444444444444", "lyon")).statusCode()).isEqualTo(201);
      JsonObject change;
      do {
        change = changes.poll(10, TimeUnit.SECONDS);
        assertThat(change).as("registry.changed for the device").isNotNull();
      } while (!"4444444444444444".equals(change.getString("id")));
      assertThat(change).isEqualTo(new JsonObject().put("kind", "device").put("id", "4444444444444444")
          .put("tenant", "default"));
    } finally {
      RegistryFixture.await(consumer.unregister());
    }
  }
}
