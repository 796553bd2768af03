package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealRedis;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@RealRedis
@RealElasticsearch
@DisplayName("The audit trail")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailTest {
  private static RegistryFixture registry;
  private static String url;
  private static String index;
  private static String elasticsearch;
  private static JsonObject extra;
  private static String admin;
  private static String lyonAdmin;
  private static String lyonOperator;
  /** Every secret the test hands the registry: none may reach the index. */
  private static final List<String> secrets = new ArrayList<>(List.of("lyon-admin-password", "lyon-operator-password"));

  private static String secret(String value) {
    secrets.add(value);
    return LeakWatch.remember(value);
  }

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch es) {
    elasticsearch = es.url();
    index = "vigie-audit-test-" + UUID.randomUUID();
    extra = new JsonObject().put("auth", new JsonObject().put("adminPassword", RegistryFixture.ADMIN_PASSWORD))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch)).put("audit", new JsonObject().put("index", index));
    url = redis.url() + "/3";
    RegistryFixture.flush(url);
    registry = RegistryFixture.launchOn(url, RegistryFixture.tempDir(), extra);
    admin = registry.adminToken();
    registry.node(admin, "lyon", "default", "site", "Lyon");
    registry.node(admin, "paris", "default", "site", "Paris");
    registry.node(admin, "paris-store", "paris", "room", "Paris store");
    lyonAdmin = registry.user(admin, "lyon-admin", "admin", "lyon");
    lyonOperator = registry.user(admin, "lyon-operator", "operator", "lyon");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Waits until an entry that {@code admin} can read matches, and returns it. */
  private static JsonObject entry(String kind, String action, String targetId, Predicate<JsonObject> also) {
    var found = new JsonObject[1];
    Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS).until(() -> {
      for (var e : entries(admin, "kind=" + kind + "&limit=500")) {
        if (e.getString("action").equals(action) && e.getString("targetId").equals(targetId) && also.test(e)) {
          found[0] = e;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static JsonObject entry(String kind, String action, String targetId) {
    return entry(kind, action, targetId, e -> true);
  }

  private static List<JsonObject> entries(String token, String query) {
    var response = registry.get("/api/v1/audit?" + query, token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonObject change(Object from, Object to) {
    return new JsonObject().put("from", from).put("to", to);
  }

  private static final JsonObject CHANGED = new JsonObject().put("changed", true);

  @Test
  @Order(1)
  @DisplayName("every change to nodes, devices, device types, users and clients is recorded with who, when, what and before/after, never a secret")
  void everyKindOfChange() {
    var appSKey = secret("a1a2a3a4a5a6a7a8a9aaabacadaeafa0");
    var nwkSKey = secret("b1b2b3b4b5b6b7b8b9babbbcbdbebfb0");
    var newAppSKey = secret("c1c2c3c4c5c6c7c8c9cacbcccdcecfc0");
    var newNwkSKey = secret("d1d2d3d4d5d6d7d8d9dadbdcdddedfd0");
    var importKey = secret("e1e2e3e4e5e6e7e8e9eaebecedeeefe0");
    var newPassword = secret("audited-new-password-42");
    // nodes: create, rename and attributes, move, cascade delete
    registry.node(lyonAdmin, "lyon-kitchen", "lyon", "room", "Kitchen");
    var created = entry("node", "create", "lyon-kitchen");
    assertThat(created.getJsonObject("actor")).isEqualTo(new JsonObject().put("sub", "lyon-admin").put("role", "admin"));
    assertThat(created.getString("at")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    assertThat(created.getJsonArray("path")).containsExactly("default", "lyon", "lyon-kitchen");
    assertThat(created.getString("nodeId")).isEqualTo("lyon-kitchen");
    assertThat(created.getJsonObject("changes").getJsonObject("name")).isEqualTo(change(null, "Kitchen"));

    assertThat(registry.patch("/api/v1/nodes/lyon-kitchen", lyonAdmin, new JsonObject().put("name", "Cold room")
        .put("attributes", new JsonObject().put("setpoint", 4))).statusCode()).isEqualTo(200);
    var renamed = entry("node", "update", "lyon-kitchen");
    assertThat(renamed.getJsonObject("changes")).isEqualTo(new JsonObject().put("name", change("Kitchen", "Cold room"))
        .put("attributes.setpoint", change(null, 4)));

    registry.node(lyonAdmin, "lyon-b", "lyon", "building", "Building B");
    assertThat(registry.post("/api/v1/nodes/lyon-kitchen/move", lyonAdmin, new JsonObject().put("parentId", "lyon-b"))
        .statusCode()).isEqualTo(200);
    var moved = entry("node", "move", "lyon-kitchen");
    assertThat(moved.getJsonObject("changes")).isEqualTo(new JsonObject().put("parentId", change("lyon", "lyon-b")));
    assertThat(moved.getJsonArray("path")).containsExactly("default", "lyon", "lyon-b", "lyon-kitchen");
    assertThat(moved.getJsonArray("fromPath")).containsExactly("default", "lyon", "lyon-kitchen");

    // device types and their codecs (tenant-wide: the platform admin)
    registry.deviceType(admin, "lht65");
    assertThat(entry("deviceType", "create", "lht65").getJsonObject("changes").getJsonObject("codec.kind"))
        .isEqualTo(change(null, "cayenne-lpp"));
    assertThat(registry.put("/api/v1/device-types/lht65", admin, DeviceApiTest.lpp("LHT65 v2")).statusCode()).isEqualTo(200);
    assertThat(entry("deviceType", "update", "lht65").getJsonObject("changes"))
        .isEqualTo(new JsonObject().put("name", change("lht65", "LHT65 v2")));

    // devices: create (ABP keys), update with new keys, move, import, delete
    var abp = DeviceApiTest.abp("7000000000000001", "lyon-kitchen");
    abp.getJsonObject("activation").put("appSKey", appSKey).put("nwkSKey", nwkSKey);
    assertThat(registry.post("/api/v1/devices", lyonOperator, abp).statusCode()).isEqualTo(201);
    var device = entry("device", "create", "7000000000000001");
    assertThat(device.getJsonObject("actor").getString("role")).isEqualTo("operator");
    assertThat(device.getString("targetName")).isEqualTo("Probe 7000000000000001");
    assertThat(device.getJsonObject("changes").getJsonObject("activation.appSKey")).isEqualTo(CHANGED);
    assertThat(device.getJsonObject("changes").getJsonObject("activation.devAddr")).isEqualTo(change(null, "26011bda"));

    assertThat(registry.patch("/api/v1/devices/7000000000000001", lyonOperator, new JsonObject().put("name", "Fridge 1")
        .put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "26011BDB").put("appSKey", newAppSKey)
            .put("nwkSKey", newNwkSKey))).statusCode()).isEqualTo(200);
    assertThat(entry("device", "update", "7000000000000001").getJsonObject("changes")).isEqualTo(new JsonObject()
        .put("name", change("Probe 7000000000000001", "Fridge 1")).put("activation.devAddr", change("26011bda", "26011bdb"))
        .put("activation.appSKey", CHANGED).put("activation.nwkSKey", CHANGED));

    assertThat(registry.patch("/api/v1/devices/7000000000000001", lyonOperator, new JsonObject().put("nodeId", "lyon-b"))
        .statusCode()).isEqualTo(200);
    var movedDevice = entry("device", "move", "7000000000000001");
    assertThat(movedDevice.getJsonObject("changes")).isEqualTo(new JsonObject().put("nodeId", change("lyon-kitchen", "lyon-b")));
    assertThat(movedDevice.getJsonArray("path")).containsExactly("default", "lyon", "lyon-b");

    var rows = new JsonArray().add(new JsonObject().put("devEui", "7000000000000002").put("name", "Imported")
        .put("nodeId", "lyon-kitchen").put("type", "lht65").put("mode", "ABP").put("devAddr", "26011BDC")
        .put("appSKey", importKey).put("nwkSKey", importKey));
    assertThat(registry.post("/api/v1/devices/import", lyonAdmin, "application/json", rows.encode()).statusCode()).isEqualTo(200);
    assertThat(entry("device", "import", "7000000000000002").getJsonObject("changes").getJsonObject("activation.nwkSKey"))
        .isEqualTo(CHANGED);

    assertThat(registry.delete("/api/v1/devices/7000000000000001", lyonOperator).statusCode()).isEqualTo(204);
    assertThat(entry("device", "delete", "7000000000000001").getJsonObject("changes").getJsonObject("name"))
        .isEqualTo(change("Fridge 1", null));

    // users: create, role and password change, delete
    var target = registry.user(lyonAdmin, "lyon-viewer", "viewer", "lyon");
    assertThat(target).isNotBlank();
    var user = entry("user", "create", "lyon-viewer");
    assertThat(user.getJsonArray("path")).containsExactly("default", "lyon");
    assertThat(user.getJsonObject("changes").getJsonObject("password")).isEqualTo(CHANGED);
    assertThat(registry.patch("/api/v1/users/lyon-viewer", lyonAdmin, new JsonObject().put("role", "operator")
        .put("password", newPassword)).statusCode()).isEqualTo(200);
    assertThat(entry("user", "update", "lyon-viewer").getJsonObject("changes")).isEqualTo(new JsonObject()
        .put("role", change("viewer", "operator")).put("password", CHANGED));
    assertThat(registry.delete("/api/v1/users/lyon-viewer", lyonAdmin).statusCode()).isEqualTo(204);
    entry("user", "delete", "lyon-viewer");

    // partner clients: create (its secret shown once to the caller, never in the trail), delete
    var client = registry.post("/api/v1/clients", lyonAdmin, new JsonObject().put("name", "Acme")
        .put("scopes", new JsonArray().add("lyon"))).bodyAsJsonObject();
    secret(client.getString("client_secret"));
    var clientId = client.getString("client_id");
    assertThat(entry("client", "create", clientId).getJsonObject("changes").getJsonObject("clientSecret")).isEqualTo(CHANGED);
    assertThat(registry.delete("/api/v1/clients/" + clientId, lyonAdmin).statusCode()).isEqualTo(204);
    assertThat(entry("client", "delete", clientId).getString("targetName")).isEqualTo("Acme");

    // a cascade delete says what went
    assertThat(registry.delete("/api/v1/nodes/lyon-b?cascade=true", lyonAdmin).statusCode()).isEqualTo(204);
    var deleted = entry("node", "delete", "lyon-b");
    assertThat(deleted.getBoolean("cascade")).isTrue();
    assertThat(deleted.getInteger("nodes")).isEqualTo(2);
    assertThat(deleted.getInteger("devices")).isEqualTo(1);

    // a tenant: its root and first admin recorded in it, its deletion at the platform's root
    var acme = registry.tenant(admin, "acme", "ACME");
    Awaitility.await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(entries(acme, "limit=500"))
        .extracting(e -> e.getString("kind") + " " + e.getString("targetId"))
        .containsExactlyInAnyOrder("node acme", "user acme-admin"));
    secrets.add("acme-admin-password");
    assertThat(registry.delete("/api/v1/tenants/acme", admin).statusCode()).isEqualTo(204);
    assertThat(entry("node", "delete", "acme").getInteger("users")).isEqualTo(1);

    // nothing indexed holds a key, a password, a secret or a password hash
    var raw = rawIndex();
    assertThat(raw).contains("7000000000000001");
    for (var secret : secrets) {
      assertThat(raw).doesNotContainIgnoringCase(secret);
    }
    assertThat(raw).doesNotContain("$argon2").doesNotContain("passwordHash");
  }

  @Test
  @Order(2)
  @DisplayName("a Lyon admin sees Lyon entries only, a Paris node answers 404 like a missing one, an operator gets 403")
  void scopes() {
    entry("node", "create", "paris-store");
    var lyon = entries(lyonAdmin, "limit=500");
    assertThat(lyon).isNotEmpty();
    assertThat(lyon).allSatisfy(e -> assertThat(e.getJsonArray("path")).contains("lyon"));
    assertThat(lyon.toString()).doesNotContain("paris").doesNotContain("Paris");
    assertThat(entries(lyonAdmin, "nodeId=lyon&limit=500")).hasSameSizeAs(lyon);

    assertThat(registry.get("/api/v1/audit?nodeId=paris", lyonAdmin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/audit?nodeId=paris", lyonAdmin).bodyAsString())
        .isEqualTo(registry.get("/api/v1/audit?nodeId=nowhere", lyonAdmin).bodyAsString().replace("nowhere", "paris"));
    assertThat(registry.get("/api/v1/audit", lyonOperator).statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/audit?limit=501", lyonAdmin).statusCode()).isEqualTo(400);
    assertThat(registry.get("/api/v1/audit?from=yesterday", lyonAdmin).statusCode()).isEqualTo(400);

    var paris = entries(admin, "nodeId=paris&limit=500");
    assertThat(paris).extracting(e -> e.getString("targetId")).contains("paris", "paris-store");
    assertThat(entries(admin, "actor=lyon-operator&limit=500")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getJsonObject("actor").getString("sub")).isEqualTo("lyon-operator"));
    assertThat(entries(admin, "from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")).isEmpty();
  }

  @Test
  @Order(3)
  @DisplayName("pages follow each other newest first, without gaps or repeats, until the last has no next")
  void paging() {
    var all = entries(admin, "limit=500");
    assertThat(all.size()).isGreaterThan(10);
    var paged = new ArrayList<JsonObject>();
    String cursor = null;
    do {
      var page = registry.get("/api/v1/audit?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), admin).bodyAsJsonObject();
      page.getJsonArray("entries").forEach(e -> paged.add((JsonObject) e));
      cursor = page.getString("next");
    } while (cursor != null);
    assertThat(paged).isEqualTo(all);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i - 1).getString("at")).isGreaterThanOrEqualTo(all.get(i).getString("at"));
    }
    assertThat(all.get(all.size() - 1).getString("targetId")).isEqualTo("lyon");
  }

  @Test
  @Order(4)
  @DisplayName("events written while the registry is down are indexed when it is back, and indexing everything again duplicates nothing")
  void restart() {
    registry.close();
    var vertx = Vertx.vertx();
    try {
      var redis = Redis.createClient(vertx, url);
      var somebody = new VigiePrincipal("night-shift", "default", Role.ADMIN, List.of("default"));
      for (int i = 0; i < 3; i++) {
        RegistryFixture.await(new AuditLog(redis).record(AuditEvent.by(somebody, "update", "node", "lyon")
            .place("default", List.of("default", "lyon")).comment("while down " + i)));
      }
      registry = RegistryFixture.launchOn(url, RegistryFixture.tempDir(), extra);
      admin = registry.adminToken();
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> entries(admin, "actor=night-shift").size() == 3);

      // the group reads the whole stream again: the same documents are replaced, none added
      RegistryFixture.await(redis.send(Request.cmd(Command.XGROUP).arg("SETID").arg(AuditLog.STREAM).arg("audit").arg("0")));
      var length = RegistryFixture.await(redis.send(Request.cmd(Command.XLEN).arg(AuditLog.STREAM))).toInteger();
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
        var groups = RegistryFixture.await(redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(AuditLog.STREAM)));
        return groups.get(0).get("pending").toInteger() == 0
            && groups.get(0).get("last-delivered-id").toString().equals(lastId(redis));
      });
      var hits = new JsonObject(rawIndex()).getJsonObject("hits");
      assertThat(hits.getJsonObject("total").getInteger("value")).isEqualTo(length);
      assertThat(new HashSet<>(hits.getJsonArray("hits").stream().map(h -> ((JsonObject) h).getString("_id")).toList()))
          .hasSize(length);
    } finally {
      RegistryFixture.await(vertx.close());
    }
  }

  private static String lastId(Redis redis) {
    var last = RegistryFixture.await(redis.send(Request.cmd(Command.XREVRANGE).arg(AuditLog.STREAM).arg("+").arg("-")
        .arg("COUNT").arg(1)));
    return last.get(0).get(0).toString();
  }

  /** Every document of the index as Elasticsearch stores it. */
  private static String rawIndex() {
    var vertx = Vertx.vertx();
    try {
      var es = URI.create(elasticsearch);
      var http = WebClient.create(vertx);
      RegistryFixture.await(http.post(es.getPort(), es.getHost(), "/" + index + "/_refresh").send());
      return RegistryFixture.await(http.get(es.getPort(), es.getHost(), "/" + index + "/_search?size=1000").send()).bodyAsString();
    } finally {
      RegistryFixture.await(vertx.close());
    }
  }
}
