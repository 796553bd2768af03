package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Registry requests on the event bus")
class RegistryBusTest {
  private static RegistryFixture registry;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 7);
    var admin = registry.adminToken();
    registry.node(admin, "site-paris", "default", "site", "Paris");
    registry.node(admin, "bldg-a", "site-paris", "building", "Building A");
    registry.node(admin, "kitchen-1", "bldg-a", "room", "Kitchen");
    registry.node(admin, "fridge-12", "kitchen-1", "asset", "Fridge 12");
    assertThat(registry.put("/api/v1/device-types/lht65", admin, DeviceApiTest.lpp("LHT65")).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/devices", admin, DeviceApiTest.abp("70b3d57ed005a1b2", "fridge-12")
        .put("name", "Fridge 12 probe")).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/devices", admin, DeviceApiTest.clear("70b3d57ed005a1b3", "fridge-12")).statusCode())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static <T> T request(String address, JsonObject body) {
    return await(registry.running.vertx().eventBus().<T>request(address, body)).body();
  }

  @Test
  @DisplayName("registry.device.context answers the device, its type with codec, and its path from the tenant root")
  void deviceContext() {
    JsonObject reply = request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", "70-B3-D5-7E-D0-05-A1-B2"));
    var context = DeviceContext.fromJson(reply);

    assertThat(context.devEui()).isEqualTo("70b3d57ed005a1b2");
    assertThat(context.tenant()).isEqualTo("default");
    assertThat(context.name()).isEqualTo("Fridge 12 probe");
    assertThat(context.type()).isEqualTo("lht65");
    assertThat(context.nodeId()).isEqualTo("fridge-12");
    assertThat(context.activationMode()).isEqualTo("ABP");
    assertThat(context.codecKind()).isEqualTo("cayenne-lpp");
    assertThat(context.deviceType().getString("id")).isEqualTo("lht65");
    assertThat(context.deviceType().getJsonObject("measurements").getJsonObject("temperature_1").getString("unit"))
        .isEqualTo("Cel");
    assertThat(context.path()).containsExactly(
        new PathElement("default", "tenant", "Default"),
        new PathElement("site-paris", "site", "Paris"),
        new PathElement("bldg-a", "building", "Building A"),
        new PathElement("kitchen-1", "room", "Kitchen"),
        new PathElement("fridge-12", "asset", "Fridge 12"));
    assertThat(reply.encode().toLowerCase()).doesNotContain(DeviceApiTest.APP_S_KEY.toLowerCase())
        .doesNotContain(DeviceApiTest.NWK_S_KEY).doesNotContain("devaddr");
  }

  @Test
  @DisplayName("registry.device.context fails with 404 for an unknown device and 400 for a malformed DevEUI")
  void unknownDevice() {
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", "0123456789abcdef")))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("unknown device 0123456789abcdef");
        });
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_CONTEXT, new JsonObject().put("devEui", "xyz")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  @DisplayName("registry.node.get answers the node with its path elements, and 404 for another tenant or a missing node")
  void nodeGet() {
    JsonObject reply = request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("id", "kitchen-1"));
    assertThat(reply.getString("id")).isEqualTo("kitchen-1");
    assertThat(reply.getString("tenant")).isEqualTo("default");
    assertThat(reply.getString("parentId")).isEqualTo("bldg-a");
    assertThat(reply.getString("kind")).isEqualTo("room");
    assertThat(reply.getString("name")).isEqualTo("Kitchen");
    assertThat(reply.getJsonObject("attributes")).isEqualTo(new JsonObject());
    assertThat(reply.getJsonArray("path").stream().map(p -> PathElement.fromJson((JsonObject) p)).toList())
        .isEqualTo(List.of(new PathElement("default", "tenant", "Default"), new PathElement("site-paris", "site", "Paris"),
            new PathElement("bldg-a", "building", "Building A"), new PathElement("kitchen-1", "room", "Kitchen")));

    JsonObject withTenant = request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("id", "kitchen-1").put("tenant", "default"));
    assertThat(withTenant).isEqualTo(reply);
    assertThatThrownBy(() -> request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("id", "kitchen-1").put("tenant", "acme")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));
    assertThatThrownBy(() -> request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("id", "nowhere")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));
  }

  @Test
  @DisplayName("the root node over the bus is the tenant, with a one-element path")
  void rootNode() {
    JsonObject reply = request(Addresses.REGISTRY_NODE_GET, new JsonObject().put("id", "default"));
    assertThat(reply.getString("kind")).isEqualTo("tenant");
    assertThat(reply.getValue("parentId")).isNull();
    assertThat(reply.getJsonArray("path")).isEqualTo(new JsonArray().add(new PathElement("default", "tenant", "Default").toJson()));
  }

  @Test
  @DisplayName("registry.device.keys answers an ABP device's DevAddr and session keys in hex")
  void deviceKeys() {
    JsonObject reply = request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", "70B3D57ED005A1B2"));
    assertThat(reply).isEqualTo(new JsonObject().put("devEui", "70b3d57ed005a1b2").put("devAddr", "26011bda")
        .put("appSKey", DeviceApiTest.APP_S_KEY.toLowerCase()).put("nwkSKey", DeviceApiTest.NWK_S_KEY.toLowerCase()));
  }

  @Test
  @DisplayName("registry.device.keys fails 404 for an unknown device, 409 for a network-decrypted one, 400 for a malformed DevEUI")
  void deviceKeysFailures() {
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", "0123456789abcdef")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", "70b3d57ed005a1b3")))
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("not ABP");
        });
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", "xyz")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject()))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  @DisplayName("a storm of lookups, as when a restarted platform hears thousands of devices at once: each is answered (keys, or 404), none refused for want of a Redis connection")
  void lookupStorm() {
    var vertx = registry.running.vertx();
    var sent = Promise.<List<Future<Integer>>>promise();
    vertx.runOnContext(v -> {
      var answers = new ArrayList<Future<Integer>>();
      for (int i = 0; i < 5_000; i++) {
        var devEui = i % 2 == 0 ? "70b3d57ed005a1b2" : String.format("00000000%08x", i);
        answers.add(vertx.eventBus().request(Addresses.REGISTRY_DEVICE_KEYS, new JsonObject().put("devEui", devEui))
            .map(reply -> 200)
            .recover(e -> Future.succeededFuture(e instanceof ReplyException r ? r.failureCode() : -1)));
      }
      sent.complete(answers);
    });
    var answers = await(sent.future());
    await(Future.all(answers));
    var byStatus = answers.stream().collect(Collectors.groupingBy(Future::result, Collectors.counting()));
    assertThat(byStatus).as("answers by status").isEqualTo(Map.of(200, 2_500L, 404, 2_500L));
  }

  @Test
  @DisplayName("registry.devaddr.lookup answers the ABP devices using a DevAddr with their tenant; none for an unused one")
  void devAddrLookup() {
    JsonObject reply = request(Addresses.REGISTRY_DEVADDR_LOOKUP, new JsonObject().put("devAddr", "26011BDA"));
    assertThat(reply).isEqualTo(new JsonObject().put("devices", new JsonArray()
        .add(new JsonObject().put("devEui", "70b3d57ed005a1b2").put("tenant", "default"))));
    JsonObject none = request(Addresses.REGISTRY_DEVADDR_LOOKUP, new JsonObject().put("devAddr", "01020304"));
    assertThat(none.getJsonArray("devices")).isEmpty();
    assertThatThrownBy(() -> request(Addresses.REGISTRY_DEVADDR_LOOKUP, new JsonObject().put("devAddr", "2601")))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThat(reply.encode().toLowerCase()).doesNotContain(DeviceApiTest.APP_S_KEY.toLowerCase());
  }
}
