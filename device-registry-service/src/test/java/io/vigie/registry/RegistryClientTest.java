package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.lorawan.SessionKeys;
import io.vigie.registry.client.DevAddrDevice;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import io.vigie.testing.RealRedis;
import io.vigie.embedded.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The registry-client against the real registry (its verticles on a local event bus, Redis underneath): what it
 * caches, for how long, and what {@code registry.changed} drops. Registry requests are counted on the bus.
 */
@RealRedis
@DisplayName("The registry-client against the real registry")
class RegistryClientTest {
  private static final long TTL_MS = 60_000;
  private static final long UNKNOWN_TTL_MS = 5_000;
  private static RegistryFixture registry;
  private static String admin;
  private static final AtomicInteger requests = new AtomicInteger();

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final List<RegistryClient> clients = new ArrayList<>();

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 5);
    admin = registry.adminToken();
    for (var type : List.of("lht65", "ers")) registry.deviceType(admin, type);
    registry.node(admin, "site-paris", "default", "site", "Paris");
    registry.node(admin, "kitchen-1", "site-paris", "room", "Kitchen");
    registry.device(admin, "70b3d57ed0000001", "kitchen-1", "lht65");
    registry.device(admin, "70b3d57ed0000002", "kitchen-1", "ers");
    registry.node(admin, "site-lyon", "default", "site", "Lyon");
    registry.device(admin, "70b3d57ed0000003", "site-lyon", "lht65");
    assertThat(registry.post("/api/v1/devices", admin, DeviceApiTest.abp("70b3d57ed00000ab", "site-lyon")).statusCode())
        .isEqualTo(201);
    // every request to the registry's bus addresses (replies and publications are not requests)
    registry.running.vertx().eventBus().addOutboundInterceptor(delivery -> {
      var address = delivery.message().address();
      if (address.startsWith("registry.") && !address.equals(Addresses.REGISTRY_CHANGED) && delivery.message().isSend()) {
        requests.incrementAndGet();
      }
      delivery.next();
    });
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @BeforeEach
  void resetCount() {
    requests.set(0);
  }

  @AfterEach
  void closeClients() {
    clients.forEach(client -> await(client.close()));
  }

  /** A client on the registry's Vert.x; it applies registry.changed when {@code listening}. */
  private RegistryClient client(int size, boolean listening) {
    var client = new RegistryClient(registry.running.vertx(), new RegistryClientConfig(size, TTL_MS, UNKNOWN_TTL_MS, 5_000),
        new SimpleMeterRegistry(), "test", nanos::get);
    if (listening) await(client.listen());
    clients.add(client);
    return client;
  }

  private void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  private static String name(RegistryClient client, String devEui) {
    return await(client.device(devEui)).name();
  }

  /** Looks the devices up, one after the other. */
  private static void lookUp(RegistryClient client, String... devEuis) {
    for (var devEui : devEuis) name(client, devEui);
  }

  private static void rename(String devEui, String name) {
    assertThat(registry.patch("/api/v1/devices/" + devEui, admin, new JsonObject().put("name", name)).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("typed answers: a device's context with its node path, ABP session keys, the devices of a DevAddr, a node's scope")
  void typedLookups() {
    var client = client(100, true);

    DeviceContext device = await(client.device("70b3d57ed0000001"));
    assertThat(device.pathIds()).containsExactly("default", "site-paris", "kitchen-1");
    assertThat(device.codecKind()).isEqualTo("cayenne-lpp");
    SessionKeys keys = await(client.sessionKeys("70b3d57ed00000ab"));
    assertThat(keys).isEqualTo(SessionKeys.fromHex("26011bda", DeviceApiTest.APP_S_KEY, DeviceApiTest.NWK_S_KEY));
    assertThat(await(client.devAddrDevices("26011bda"))).containsExactly(new DevAddrDevice("70b3d57ed00000ab", "default"));
    assertThat(await(client.devAddrDevices("0badbad0"))).isEmpty();
    assertThat(await(client.nodeScope("default", "kitchen-1")).pathIds()).containsExactly("default", "site-paris", "kitchen-1");
    assertThat(await(client.deviceScope("70b3d57ed0000003")).pathIds()).containsExactly("default", "site-lyon");
    var notAbp = catchThrowable(() -> await(client.sessionKeys("70b3d57ed0000001")));
    assertThat(notAbp).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  @DisplayName("an answer is reused without asking the registry until its time to live is over")
  void timeToLive() {
    var client = client(100, true);
    lookUp(client, "70b3d57ed0000001", "70b3d57ed0000001");
    assertThat(requests).as("the second lookup is answered from the cache").hasValue(1);

    advanceMs(TTL_MS);
    name(client, "70b3d57ed0000001");
    assertThat(requests).as("expired: asked again").hasValue(2);
  }

  @Test
  @DisplayName("a device renamed in the registry is seen renamed at once: registry.changed drops the cached context")
  void invalidatedByChange() {
    var client = client(100, true);
    lookUp(client, "70b3d57ed0000002", "70b3d57ed0000003");

    rename("70b3d57ed0000002", "Renamed probe");

    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> name(client, "70b3d57ed0000002").equals("Renamed probe"));
    requests.set(0);
    name(client, "70b3d57ed0000003");
    assertThat(requests).as("another device's context stays cached").hasValue(0);
  }

  @Test
  @DisplayName("a node moved in the registry gives the devices below it their new path; devices elsewhere stay cached")
  void nodeMove() {
    var client = client(100, true);
    registry.node(admin, "cellar", "site-paris", "room", "Cellar");
    registry.device(admin, "70b3d57ed0000004", "cellar", "lht65");
    assertThat(await(client.device("70b3d57ed0000004")).pathIds()).containsExactly("default", "site-paris", "cellar");
    name(client, "70b3d57ed0000003");

    assertThat(registry.post("/api/v1/nodes/cellar/move", admin, new JsonObject().put("parentId", "site-lyon")).statusCode())
        .isEqualTo(200);

    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> await(client.device("70b3d57ed0000004")).pathIds()
        .equals(List.of("default", "site-lyon", "cellar")));
    requests.set(0);
    name(client, "70b3d57ed0000003");
    assertThat(requests).as("a device outside the moved node stays cached").hasValue(0);
  }

  @Test
  @DisplayName("a device type replaced in the registry drops the contexts of its devices only; a user change drops nothing")
  void deviceTypeChange() {
    var client = client(100, true);
    assertThat(await(client.device("70b3d57ed0000002")).deviceType().getString("name")).isEqualTo("ers");
    name(client, "70b3d57ed0000001");

    assertThat(registry.put("/api/v1/device-types/ers", admin, DeviceApiTest.lpp("ERS CO2")).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> await(client.device("70b3d57ed0000002")).deviceType().getString("name").equals("ERS CO2"));
    registry.user(admin, "someone", "viewer", "site-paris");
    requests.set(0);
    lookUp(client, "70b3d57ed0000001", "70b3d57ed0000002");
    assertThat(requests).as("a device of another type, and the refreshed one, stay cached").hasValue(0);
  }

  @Test
  @DisplayName("a lost registry.changed is repaired by the time to live")
  void lostInvalidation() {
    var deaf = client(100, false);
    name(deaf, "70b3d57ed0000003");

    rename("70b3d57ed0000003", "Lyon probe");
    assertThat(name(deaf, "70b3d57ed0000003")).as("the change was not heard: the cached name").isNotEqualTo("Lyon probe");

    advanceMs(TTL_MS);
    assertThat(name(deaf, "70b3d57ed0000003")).isEqualTo("Lyon probe");
  }

  @Test
  @DisplayName("an unknown device is remembered for a short while, then seen once created (after expiry, or at once when told)")
  void unknownDevice() {
    var deaf = client(100, false);
    var listening = client(100, true);
    var devEui = "70b3d57ed00000f1";
    for (var client : List.of(deaf, listening, deaf, listening)) {
      var failure = catchThrowable(() -> await(client.device(devEui)));
      assertThat(failure).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
    assertThat(requests).as("each client asked once").hasValue(2);

    registry.device(admin, devEui, "kitchen-1", "lht65");

    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> listening.device(devEui).await().devEui().equals(devEui));
    assertThat(catchThrowable(() -> await(deaf.device(devEui)))).as("still remembered as unknown")
        .isInstanceOf(ApiException.class);
    advanceMs(UNKNOWN_TTL_MS);
    assertThat(await(deaf.device(devEui)).nodeId()).isEqualTo("kitchen-1");
  }

  @Test
  @DisplayName("the cache holds at most its size: the least recently used device is asked again")
  void sizeBound() {
    var client = client(2, true);
    lookUp(client, "70b3d57ed0000001", "70b3d57ed0000002", "70b3d57ed0000001", "70b3d57ed0000003");
    assertThat(requests).hasValue(3);

    lookUp(client, "70b3d57ed0000001", "70b3d57ed0000003");
    assertThat(requests).as("the two most recent are cached").hasValue(3);
    name(client, "70b3d57ed0000002");
    assertThat(requests).as("the least recently used was dropped").hasValue(4);
  }

  @Test
  @DisplayName("twenty lookups of one device at once make one registry request")
  void inFlightShared() {
    var client = client(100, true);
    var context = registry.running.vertx().getOrCreateContext();
    Promise<List<DeviceContext>> all = Promise.promise();
    context.runOnContext(v -> {
      var lookups = new ArrayList<Future<DeviceContext>>();
      for (int i = 0; i < 20; i++) lookups.add(client.device("70b3d57ed0000001"));
      Future.all(lookups).map(done -> done.<DeviceContext>list()).onComplete(all);
    });

    assertThat(await(all.future())).hasSize(20).allSatisfy(device -> assertThat(device.nodeId()).isEqualTo("kitchen-1"));
    assertThat(requests).hasValue(1);
  }

  @Test
  @DisplayName("without a registry on the bus, a lookup fails with 503 and says the registry is not running")
  void noRegistry() {
    var vertx = io.vertx.core.Vertx.vertx();
    try {
      var client = new RegistryClient(vertx, new RegistryClientConfig(10, TTL_MS, UNKNOWN_TTL_MS, 1_000),
          new SimpleMeterRegistry(), "test");
      var failure = catchThrowable(() -> await(client.device("70b3d57ed0000001")));
      assertThat(failure).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("the device registry is not running (nothing answers on registry.device.context)");
      });
    } finally {
      await(vertx.close());
    }
  }
}
