package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Bulk import of devices (JSON and CSV)")
class DeviceImportTest {
  static final String KEY_1 = LeakWatch.remember("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
  static final String KEY_2 = LeakWatch.remember("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf");
  private static final String IMPORT = "/api/v1/devices/import";
  private static final int MAX_ROWS = 50;
  private static RegistryFixture registry;
  private static String admin;

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 11, new JsonObject()
        .put("auth", new JsonObject().put("adminPassword", RegistryFixture.ADMIN_PASSWORD))
        .put("registry", new JsonObject().put("import", new JsonObject().put("maxRows", MAX_ROWS))));
    admin = registry.adminToken();
    registry.deviceType(admin, "probe");
    registry.node(admin, "imp-site", "default", "site", "Import site");
    registry.node(admin, "imp-room", "imp-site", "room", "Import room");
    registry.node(admin, "imp-other", "default", "site", "Other site");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static JsonObject row(String devEui, String nodeId) {
    return new JsonObject().put("devEui", devEui).put("name", "Sensor " + devEui).put("nodeId", nodeId).put("type", "probe")
        .put("activation", new JsonObject().put("mode", "network-decrypted"));
  }

  private static JsonObject abpRow(String devEui, String devAddr, String appSKey, String nwkSKey) {
    return new JsonObject().put("devEui", devEui).put("name", "ABP " + devEui).put("nodeId", "imp-room").put("type", "probe")
        .put("mode", "ABP").put("devAddr", devAddr).put("appSKey", appSKey).put("nwkSKey", nwkSKey);
  }

  private static JsonObject importJson(String token, JsonArray rows) {
    var response = registry.post(IMPORT, token, "application/json", rows.encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> statuses(JsonObject answer) {
    return answer.getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("status")).toList();
  }

  @Test
  @DisplayName("good rows are created and bad rows reported with their row number, without failing the good ones")
  void jsonWithBadRows() {
    var rows = new JsonArray()
        .add(row("9000000000000001", "imp-site"))
        .add(row("90000000000002", "imp-site"))                       // short DevEUI
        .add(abpRow("9000000000000003", "90000003", KEY_1, KEY_2))
        .add(row("9000000000000004", "nowhere"))                      // unknown node
        .add(row("9000000000000005", "imp-room").put("type", "nope")) // unknown type
        .add(abpRow("9000000000000006", "90000006", "zz" + KEY_1.substring(2), KEY_2))
        .add(row("90:00:00:00:00:00:00:01", "imp-room"))              // repeated DevEUI
        .add("not an object")
        .add(row("9000000000000009", "imp-room"));

    var answer = importJson(admin, rows);

    assertThat(statuses(answer)).containsExactly("created", "error", "created", "error", "error", "error", "error", "error", "created");
    assertThat(answer.getInteger("created")).isEqualTo(3);
    assertThat(answer.getInteger("errors")).isEqualTo(6);
    assertThat(answer.getInteger("updated")).isZero();
    assertThat(answer.getInteger("unchanged")).isZero();
    var results = answer.getJsonArray("results");
    assertThat(results.getJsonObject(0)).isEqualTo(new JsonObject().put("row", 1).put("devEui", "9000000000000001").put("status", "created"));
    assertThat(results.getJsonObject(1).getInteger("row")).isEqualTo(2);
    assertThat(results.getJsonObject(1).getString("error")).contains("devEui");
    assertThat(results.getJsonObject(3).getString("error")).contains("nodeId");
    assertThat(results.getJsonObject(4).getString("error")).contains("type");
    assertThat(results.getJsonObject(5).getString("error")).contains("appSKey");
    assertThat(results.getJsonObject(6).getString("error")).contains("row 1");
    assertThat(answer.encode().toLowerCase()).doesNotContain(KEY_1).doesNotContain(KEY_2).doesNotContain(KEY_1.substring(2));

    assertThat(registry.get("/api/v1/devices/9000000000000003", admin).bodyAsJsonObject().getJsonObject("activation"))
        .isEqualTo(new JsonObject().put("mode", "ABP").put("devAddr", "90000003"));
    assertThat(registry.redis(Request.cmd(Command.HGETALL).arg("vigie:{registry}:device:9000000000000003")).toString().toLowerCase())
        .doesNotContain(KEY_1).doesNotContain(KEY_2);
    assertThat(registry.get("/api/v1/devices/9000000000000004", admin).statusCode()).isEqualTo(404);
    assertThat(registry.get("/api/v1/devices/9000000000000009", admin).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("re-importing the same rows answers unchanged for each; a changed row is updated, keys included")
  void idempotent() {
    var rows = new JsonArray().add(row("9100000000000001", "imp-site")).add(abpRow("9100000000000002", "91000002", KEY_1, KEY_2));
    assertThat(statuses(importJson(admin, rows))).containsExactly("created", "created");

    var again = importJson(admin, rows);
    assertThat(statuses(again)).containsExactly("unchanged", "unchanged");
    assertThat(again.getInteger("unchanged")).isEqualTo(2);

    var sealed = registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:device:9100000000000002").arg("appSKey")).toString();
    var changed = new JsonArray().add(row("9100000000000001", "imp-room"))
        .add(abpRow("9100000000000002", "91000002", KEY_2, KEY_1));
    var answer = importJson(admin, changed);
    assertThat(statuses(answer)).containsExactly("updated", "updated");
    assertThat(registry.get("/api/v1/devices/9100000000000001", admin).bodyAsJsonObject().getString("nodeId")).isEqualTo("imp-room");
    assertThat(registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:device:9100000000000002").arg("appSKey")).toString())
        .isNotEqualTo(sealed);
    assertThat(statuses(importJson(admin, changed))).containsExactly("unchanged", "unchanged");
  }

  @Test
  @DisplayName("CSV with the documented header imports the same way, quoted names and all, and re-imports unchanged")
  void csv() {
    var csv = "devEui,name,nodeId,type,mode,devAddr,appSKey,nwkSKey\r\n"
        + "9200000000000001,\"Fridge, left\",imp-room,probe,network-decrypted,,,\r\n"
        + "92-00-00-00-00-00-00-02,\"The \"\"big\"\" one\",imp-room,probe,ABP,92000002," + KEY_1 + "," + KEY_2 + "\r\n"
        + "9200000000000003,Broken,imp-room,probe,ABP,,,\r\n"
        + "9200000000000004,Too few,imp-room\r\n"
        + "\r\n";
    var response = registry.post(IMPORT, admin, "text/csv; charset=utf-8", csv);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    var answer = response.bodyAsJsonObject();
    assertThat(statuses(answer)).containsExactly("created", "created", "error", "error");
    assertThat(answer.getJsonArray("results").getJsonObject(1).getString("devEui")).isEqualTo("9200000000000002");
    assertThat(answer.getJsonArray("results").getJsonObject(3).getString("error")).contains("columns");
    assertThat(registry.get("/api/v1/devices/9200000000000001", admin).bodyAsJsonObject().getString("name")).isEqualTo("Fridge, left");
    assertThat(registry.get("/api/v1/devices/9200000000000002", admin).bodyAsJsonObject().getString("name"))
        .isEqualTo("The \"big\" one");

    var again = registry.post(IMPORT, admin, "text/csv", csv).bodyAsJsonObject();
    assertThat(statuses(again)).containsExactly("unchanged", "unchanged", "error", "error");

    // columns in another order, optional ones left out
    var reordered = "type,nodeId,name,devEui,mode\n" + "probe,imp-site,Short,9200000000000005,network-decrypted\n";
    assertThat(statuses(registry.post(IMPORT, admin, "text/csv", reordered).bodyAsJsonObject())).containsExactly("created");
  }

  @Test
  @DisplayName("a bad CSV header, a body that is no array, an unknown content type or an empty import is refused as a whole")
  void refusedWhole() {
    assertThat(registry.post(IMPORT, admin, "text/csv", "devEui,name,color\n1,2,3\n").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "text/csv", "devEui,name,nodeId\n1,2,3\n").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "text/csv", "").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "application/json", "{\"devEui\":\"x\"}").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "application/json", "[").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "application/json", "[]").statusCode()).isEqualTo(400);
    assertThat(registry.post(IMPORT, admin, "text/plain", "hello").statusCode()).isEqualTo(415);
  }

  @Test
  @DisplayName("more rows than the limit answer 413 and import nothing")
  void rowLimit() {
    var rows = new JsonArray(IntStream.rangeClosed(1, MAX_ROWS + 1)
        .mapToObj(i -> row(String.format("93%014d", i), "imp-room")).collect(Collectors.toList()));
    var response = registry.post(IMPORT, admin, "application/json", rows.encode());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("payload_too_large");
    assertThat(registry.get("/api/v1/devices/9300000000000001", admin).statusCode()).isEqualTo(404);

    var csv = new StringBuilder("devEui,name,nodeId,type,mode\n");
    for (int i = 1; i <= MAX_ROWS + 1; i++) csv.append(String.format("93%014d,N,imp-room,probe,network-decrypted\n", i));
    assertThat(registry.post(IMPORT, admin, "text/csv", csv.toString()).statusCode()).isEqualTo(413);

    // exactly the limit is fine
    rows.remove(MAX_ROWS);
    assertThat(importJson(admin, rows).getInteger("created")).isEqualTo(MAX_ROWS);
  }

  @Test
  @DisplayName("an operator imports into its site only: rows elsewhere, or for DevEUIs registered elsewhere, are errors telling nothing")
  void scoped() {
    registry.device(admin, "9400000000000001", "imp-other", "probe");
    var operator = registry.user(admin, "imp-operator", "operator", "imp-site");
    var viewer = registry.user(admin, "imp-viewer", "viewer", "imp-site");

    var answer = importJson(operator, new JsonArray()
        .add(row("9400000000000002", "imp-room"))
        .add(row("9400000000000003", "imp-other"))
        .add(row("9400000000000001", "imp-room")));
    assertThat(statuses(answer)).containsExactly("created", "error", "error");
    var results = answer.getJsonArray("results");
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo("nodeId 'imp-other' is not a node you can see");
    assertThat(results.getJsonObject(2).getString("error")).isEqualTo("device 9400000000000001 already exists");
    assertThat(answer.encode()).doesNotContain("Other site");
    // the device elsewhere is untouched
    assertThat(registry.get("/api/v1/devices/9400000000000001", admin).bodyAsJsonObject().getString("nodeId")).isEqualTo("imp-other");

    var refused = registry.post(IMPORT, viewer, "application/json", new JsonArray().add(row("9400000000000004", "imp-room")).encode());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/devices/9400000000000004", admin).statusCode()).isEqualTo(404);
  }
}
