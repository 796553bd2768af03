package io.vigie.gateway;

import static io.vigie.gateway.TestGateway.SECRET;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Things Stack and ThingPark webhooks on a real HTTP port (the ChirpStack one is {@link GatewayServiceTest}):
 * the same secret, limits, answers and counting, each with its own body.
 */
class WebhooksTest {
  private TestGateway gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) gateway.close();
  }

  private HttpResponse<Buffer> post(String path, Buffer body, String contentType, boolean withSecret) throws Exception {
    return TestGateway.await(send(path, body, contentType, withSecret));
  }

  private Future<HttpResponse<Buffer>> send(String path, Buffer body, String contentType, boolean withSecret) {
    var request = gateway.client.post(gateway.running.port(), "localhost", path).putHeader("Content-Type", contentType);
    if (withSecret) request.putHeader("Authorization", "Bearer " + SECRET);
    return request.sendBuffer(body);
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return post(path, body.toBuffer(), "application/json", true);
  }

  @Test
  @DisplayName("an integration with its own secret needs that one; the others keep the shared secret")
  void perIntegrationSecret() throws Exception {
    gateway = TestGateway.start(Map.of("ingest.tokens.ttn", "ttn-only-secret")).acknowledgeUplinks();
    var body = Fixtures.json("tts-v3-up.json").toBuffer();

    var shared = post("/uplinks/ttn", body, "application/json", true);
    assertThat(shared.statusCode()).isEqualTo(401);
    var own = TestGateway.await(gateway.client.post(gateway.running.port(), "localhost", "/uplinks/ttn")
        .putHeader("Content-Type", "application/json").bearerTokenAuthentication("ttn-only-secret").sendBuffer(body));
    assertThat(own.statusCode()).isEqualTo(202);
    var thingPark = post("/uplinks/thingpark", Fixtures.json("thingpark-uplink.json"));
    assertThat(thingPark.statusCode()).as("ThingPark keeps the shared secret").isEqualTo(202);
  }

  @Test
  @DisplayName("a The Things Stack webhook uplink is forwarded as the canonical uplink and answered 202 once acknowledged")
  void ttsUplink() throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var response = post("/uplinks/ttn", Fixtures.json("tts-v3-up.json"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "0004a30b001c0530-0000072a"));
    assertThat(Uplink.fromJson(gateway.nextUplink(5))).isEqualTo(new Uplink("0004a30b001c0530", 1834, 1,
        "0167002a", false, "260babcd", Instant.parse("2026-11-29T13:42:11.412Z"), "tts-v3",
        List.of(new RxInfo("aa555a0000000101", -68.0, 9.2)), null,
        new TxInfo(868_100_000L, null, 7, 125_000, "4/5", null, false)));
  }

  @Test
  @DisplayName("with payload crypto skipped, the TTS uplink reaches the decoder marked encrypted")
  void ttsSkipPayloadCrypto() throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var response = post("/uplinks/ttn", Fixtures.json("tts-v3-up-skip-payload-crypto.json"));

    assertThat(response.statusCode()).isEqualTo(202);
    var uplink = gateway.nextUplink(5);
    assertThat(uplink.getBoolean("encrypted")).isTrue();
    assertThat(uplink.getLong("fCnt")).isZero();
  }

  @Test
  @DisplayName("ThingPark uplinks with typed numbers and with numbers as strings are both forwarded")
  void thingParkUplinks() throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var typed = post("/uplinks/thingpark", Fixtures.json("thingpark-uplink.json"));
    var strings = post("/uplinks/thingpark", Fixtures.json("thingpark-uplink-strings.json"));

    assertThat(typed.statusCode()).isEqualTo(202);
    assertThat(strings.statusCode()).isEqualTo(202);
    assertThat(strings.bodyAsJsonObject().getString("id")).isEqualTo("0018b20000000bee-00000171");
    var first = Uplink.fromJson(gateway.nextUplink(5));
    var second = Uplink.fromJson(gateway.nextUplink(5));
    assertThat(first.rx()).hasSize(2);
    assertThat(first.encrypted()).isNull();
    assertThat(second.fCnt()).isEqualTo(369);
    assertThat(second.rx()).containsExactly(new RxInfo("10001273", -85.0, 9.25));
  }

  @Test
  @DisplayName("the same uplink posted twice at once is appended once, and both posts get its id")
  void concurrentDuplicate() throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();
    var body = Fixtures.json("thingpark-uplink.json").toBuffer();

    var first = send("/uplinks/thingpark", body, "application/json", true);
    var second = send("/uplinks/thingpark", body, "application/json", true);

    var answers = List.of(TestGateway.await(first), TestGateway.await(second));
    assertThat(answers).extracting(HttpResponse::statusCode).contains(202).allMatch(status -> status == 202 || status == 200);
    assertThat(answers).extracting(r -> r.bodyAsJsonObject().getString("id")).containsOnly("0018b20000000bee-00000170");
    assertThat(gateway.nextUplink(5)).isNotNull();
    assertThat(gateway.nextUplink(1)).as("forwarded once").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/uplinks/ttn", "/uplinks/thingpark"})
  @DisplayName("without the secret the answer is 401, and nothing is forwarded")
  void unauthorized(String path) throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var response = post(path, Fixtures.json("tts-v3-up.json").toBuffer(), "application/json", false);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(gateway.received).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(delimiter = '|', value = {
      "/uplinks/ttn       | {\"end_device_ids\":                                     | the body is not valid JSON",
      "/uplinks/ttn       | [\"uplink_message\"]                                     | the body must be a JSON object",
      "/uplinks/ttn       | {\"end_device_ids\":{\"dev_eui\":\"0004A30B001C0530\"},\"uplink_message\":{\"frm_payload\":\"*\"}} | uplink_message.frm_payload is not valid base64",
      "/uplinks/ttn       | {\"end_device_ids\":{\"dev_eui\":12},\"uplink_message\":{}} | end_device_ids.dev_eui must be a string",
      "/uplinks/thingpark | {\"DevEUI_uplink\":{\"DevEUI\":\"0018B20000000BEE\",\"payload_hex\":\"0g\"}} | DevEUI_uplink.payload_hex must be hex bytes",
      "/uplinks/thingpark | {\"DevEUI_uplink\":{\"DevEUI\":\"0018B20000000BEE\",\"FCntUp\":\"x1\"}} | DevEUI_uplink.FCntUp must be an unsigned integer",
      "/uplinks/thingpark | {}                                                      | DevEUI_uplink is missing",
      // found by GatewayEdgeFuzzTest: read as infinity, written to the log as "Infinity", the batch never read back
      "/uplinks/ttn       | {\"end_device_ids\":{\"dev_eui\":\"0004A30B001C0530\"},\"uplink_message\":{\"rx_metadata\":[{\"rssi\":1e999}]}} | uplink_message.rx_metadata[0].rssi must be a number, got Infinity",
      "/uplinks/thingpark | {\"DevEUI_uplink\":{\"DevEUI\":\"0018B20000000BEE\",\"Lrrs\":{\"Lrr\":[{\"Lrrid\":\"1\",\"LrrSNR\":-1e999}]}}} | DevEUI_uplink.Lrrs.Lrr[0].LrrSNR must be a number, got -Infinity"})
  @DisplayName("malformed bodies are answered 400 with the reason, and counted")
  void malformed(String path, String body, String message) throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var response = post(path, Buffer.buffer(body.trim()), "application/json", true);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(response.bodyAsJsonObject().getString("message")).contains(message);
    assertThat(gateway.received).isEmpty();
    var adapter = path.endsWith("ttn") ? "tts-v3" : "thingpark";
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"" + adapter + "\",reason=\"malformed\"}"))
        .isEqualTo(1.0);
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"/uplinks/ttn, application/x-protobuf", "/uplinks/thingpark, application/xml", "/uplinks/thingpark, text/xml"})
  @DisplayName("other encodings than JSON are answered 415 with a hint")
  void otherEncodings(String path, String contentType) throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var response = post(path, Buffer.buffer("<DevEUI_uplink/>"), contentType, true);

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("JSON");
  }

  @Test
  @DisplayName("a body over ingest.bodyLimit is answered 413")
  void tooLarge() throws Exception {
    gateway = TestGateway.start(Map.of("ingest.bodyLimit", 2048)).acknowledgeUplinks();

    var response = post("/uplinks/ttn", Fixtures.json("tts-v3-up.json").put("padding", "x".repeat(4096)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"tts-v3\",reason=\"too_large\"}")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("other TTS and ThingPark messages are answered 204, counted and not forwarded")
  void otherMessagesIgnored() throws Exception {
    gateway = TestGateway.start(Map.of()).acknowledgeUplinks();

    var join = post("/uplinks/ttn", new JsonObject().put("end_device_ids", new JsonObject().put("device_id", "d"))
        .put("join_accept", new JsonObject().put("session_key_id", "AQ==")));
    var location = post("/uplinks/thingpark", new JsonObject().put("DevEUI_location", new JsonObject()));

    assertThat(join.statusCode()).isEqualTo(204);
    assertThat(location.statusCode()).isEqualTo(204);
    assertThat(gateway.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(gateway.metric("vigie_gateway_events_ignored_total{adapter=\"tts-v3\",event=\"join_accept\"}")).isEqualTo(1.0);
    assertThat(gateway.metric("vigie_gateway_events_ignored_total{adapter=\"thingpark\",event=\"DevEUI_location\"}"))
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("an unknown device is answered 404 and a full ingest log 503 with Retry-After, as for ChirpStack")
  void doorAnswers() throws Exception {
    gateway = TestGateway.start(Map.of("ingest.partitions", 1, "ingest.maxEntries", 1));
    gateway.forget("0004a30b001c0530");

    var tts = post("/uplinks/ttn", Fixtures.json("tts-v3-up.json"));
    var first = post("/uplinks/thingpark", Fixtures.json("thingpark-uplink.json"));
    var full = post("/uplinks/thingpark", Fixtures.json("thingpark-uplink-strings.json"));

    assertThat(tts.statusCode()).isEqualTo(404);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(full.statusCode()).isEqualTo(503);
    assertThat(full.getHeader("Retry-After")).isNotBlank();
    assertThat(full.bodyAsJsonObject().getString("message")).contains("the ingest log is full");
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"tts-v3\",reason=\"unknown_device\"}")).isEqualTo(1.0);
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"thingpark\",reason=\"log_full\"}")).isEqualTo(1.0);
  }
}
