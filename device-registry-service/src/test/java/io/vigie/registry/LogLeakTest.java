package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs last (junit-platform.properties orders classes by {@link Order}): every line logged during the whole test
 * run, Vigie at DEBUG, captured by {@link CapturedLogs}, must hold no password, token, session key or client
 * secret the tests used, nor anything shaped like one. It first plays a scenario of its own handling every kind
 * of secret, so that it means something even when run alone.
 */
@RealRedis
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("No secret in the logs of the test run")
class LogLeakTest {
  private static final String APP_KEY = LeakWatch.remember("e0e1e2e3e4e5e6e7e8e9eaebecedeeef");
  private static final String NWK_KEY = LeakWatch.remember("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  private static final String NEW_KEY = LeakWatch.remember("0f0e0d0c0b0a09080706050403020100");
  private static final String USER_PASSWORD = LeakWatch.remember("leak-user-password-1");
  private static final String WRONG_PASSWORD = LeakWatch.remember("Summer2024!-almost-right");
  private static RegistryFixture registry;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 0);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  @Order(1)
  @DisplayName("a scenario handling every kind of secret: logins, keys in, keys over the bus, client secrets, bad input")
  void scenario() {
    var admin = registry.adminToken();
    assertThat(registry.token("admin", WRONG_PASSWORD).statusCode()).isEqualTo(401);
    registry.node(admin, "leak-site", "default", "site", "Site");
    registry.deviceType(admin, "probe");

    var abp = new JsonObject().put("devEui", "c100000000000001").put("name", "ABP").put("nodeId", "leak-site").put("type", "probe")
        .put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "c1000001").put("appSKey", APP_KEY).put("nwkSKey", NWK_KEY));
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(201);
    assertThat(registry.post("/api/v1/devices", admin, abp).statusCode()).isEqualTo(409);
    var badKey = abp.copy().put("devEui", "c100000000000002");
    badKey.getJsonObject("activation").put("appSKey", APP_KEY.substring(1) + "g");
    assertThat(registry.post("/api/v1/devices", admin, badKey).statusCode()).isEqualTo(400);
    assertThat(registry.patch("/api/v1/devices/c100000000000001", admin, new JsonObject().put("activation", new JsonObject()
        .put("mode", "ABP").put("devAddr", "c1000011").put("appSKey", NEW_KEY).put("nwkSKey", APP_KEY))).statusCode()).isEqualTo(200);
    var csv = "devEui,name,nodeId,type,mode,devAddr,appSKey,nwkSKey\n"
        + "c100000000000003,CSV,leak-site,probe,ABP,c1000003," + NWK_KEY + "," + NEW_KEY + "\n"
        + "c100000000000004,CSV,nowhere,probe,ABP,c1000004," + NWK_KEY + "," + NEW_KEY + "\n";
    assertThat(registry.post("/api/v1/devices/import", admin, "text/csv", csv).statusCode()).isEqualTo(200);
    var keys = await(registry.running.vertx().eventBus().<JsonObject>request(Addresses.REGISTRY_DEVICE_KEYS,
        new JsonObject().put("devEui", "c100000000000001"))).body();
    assertThat(keys.getString("appSKey")).isEqualTo(NEW_KEY);

    registry.post("/api/v1/users", admin, new JsonObject().put("username", "leak-user").put("password", USER_PASSWORD)
        .put("role", "viewer").put("scopes", new JsonArray().add("leak-site")));
    var user = registry.login("leak-user", USER_PASSWORD);
    assertThat(registry.patch("/api/v1/users/leak-user", user, new JsonObject().put("password", LeakWatch.remember("leak-user-password-2"))
        .put("currentPassword", USER_PASSWORD)).statusCode()).isEqualTo(200);
    var client = registry.post("/api/v1/clients", admin, new JsonObject().put("name", "Leaky")
        .put("scopes", new JsonArray().add("leak-site"))).bodyAsJsonObject();
    var secret = LeakWatch.remember(client.getString("client_secret"));
    var clientToken = registry.clientToken(client.getString("client_id"), secret);
    LeakWatch.remember(clientToken.bodyAsJsonObject().getString("access_token"));
    assertThat(registry.clientToken(client.getString("client_id"), secret + "-wrong").statusCode()).isEqualTo(401);
    // a forged token, refused
    var parts = user.split("\\.");
    assertThat(registry.get("/api/v1/nodes/leak-site", parts[0] + "." + parts[1] + ".AAAA").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(2)
  @DisplayName("the detector finds a planted secret and secret shapes (so that the next check can fail)")
  void detectorWorks() {
    assertThat(LeakWatch.leaks(List.of("INFO x - device c1 keys " + APP_KEY.toUpperCase()))).isNotEmpty();
    assertThat(LeakWatch.leaks(List.of("INFO x - login with " + USER_PASSWORD))).isNotEmpty();
    assertThat(LeakWatch.leaks(List.of("DEBUG x - Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln"))).isNotEmpty();
    assertThat(LeakWatch.leaks(List.of("DEBUG x - hash $argon2id$v=19$m=19456"))).isNotEmpty();
    assertThat(LeakWatch.leaks(List.of("DEBUG x - 00112233445566778899aabbccddeeff"))).isNotEmpty();
    assertThat(LeakWatch.leaks(List.of("INFO x - device c100000000000001 created on leak-site"))).isEmpty();
  }

  @Test
  @Order(3)
  @DisplayName("every line logged during the run is free of passwords, tokens, keys and client secrets")
  void noSecretLogged() {
    var lines = CapturedLogs.lines();
    assertThat(lines).as("the capture works").anyMatch(line -> line.contains("registry ready"));
    assertThat(lines).as("the capture includes the registry's DEBUG lines")
        .anyMatch(line -> line.startsWith("DEBUG io.vigie.registry"));
    assertThat(LeakWatch.remembered()).as("secrets were handed to the registry").isGreaterThanOrEqualTo(8);
    assertThat(LeakWatch.leaks(lines)).isEmpty();
  }
}
