package io.vigie.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.Addresses;
import io.vigie.common.http.RawHttp;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Ack;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway on a real HTTP port, started by the launcher like in production. A test consumer on
 * {@code uplink.received} stands in for the decoder: it records what the gateway sent and answers
 * the way the rest of the pipeline would.
 */
class GatewayServiceTest {
  private static final String SECRET = "test-ingest-secret-7f3a";
  private static final String UP = "/uplinks/chirpstack?event=up";

  private TestGateway gateway;
  private ServiceLauncher.Running running;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) gateway.close();
  }

  // ---------------------------------------------------------------- the happy path

  @Test
  @DisplayName("an up event is handed to the decoder as the canonical uplink and answered 202 with its id")
  void upEventForwarded() throws Exception {
    start(Map.of());
    acknowledge();

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "0101010101010101-00000007"));
    var uplink = gateway.nextUplink(5);
    assertThat(Uplink.fromJson(uplink)).isEqualTo(new Uplink("0101010101010101", 7, 1, "016700eb", false, "00189440",
        Instant.parse("2026-11-29T09:34:15.775023242Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5), new RxInfo("0016c001f153a14d", -98.0, -2.25)), null,
        new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", false, false)));
    assertThat(uplink.getString("id")).isEqualTo("0101010101010101-00000007");
    assertThat(gateway.received).isEmpty();
  }

  @Test
  @DisplayName("the first frame, without fCnt in the body, is forwarded with fCnt 0")
  void firstFrameForwarded() throws Exception {
    start(Map.of());
    acknowledge();

    var response = post(UP, fixture("chirpstack-v4-up-first-frame.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo("0101010101010101-00000000");
    assertThat(Uplink.fromJson(gateway.nextUplink(5))).isEqualTo(new Uplink("0101010101010101", 0, 1,
        "01670032", false, "00189440", Instant.parse("2026-11-29T09:30:00.100Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -40.0, 9.0)), null,
        new TxInfo(868_100_000L, 0, null, null, null, false, false)));
  }

  @Test
  @DisplayName("an uplink already appended (same device, same counter) is answered 200 with duplicate true, and not appended twice")
  void duplicate() throws Exception {
    start(Map.of());

    assertThat(post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET)).statusCode()).isEqualTo(202);
    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("duplicate", true).put("id", "0101010101010101-00000007"));
    assertThat(gateway.logLength()).isEqualTo(1);
    assertThat(metric("vigie_gateway_uplinks_duplicate_total{adapter=\"chirpstack-v4\"}")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("the secret is also accepted as the token query parameter")
  void tokenInQuery() throws Exception {
    start(Map.of());
    acknowledge();

    var response = post(UP + "&token=" + SECRET, fixture("chirpstack-v4-up.json"), null);

    assertThat(response.statusCode()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- refusals

  @Test
  @DisplayName("without the secret, or with a wrong one, the answer is 401 and nothing is forwarded")
  void unauthorized() throws Exception {
    start(Map.of());
    acknowledge();

    var missing = post(UP, fixture("chirpstack-v4-up.json"), null);
    var wrong = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET + "x"));
    var wrongQuery = post(UP + "&token=nope", fixture("chirpstack-v4-up.json"), null);
    var basic = post(UP, fixture("chirpstack-v4-up.json"), "Basic " + SECRET);

    for (var response : List.of(missing, wrong, wrongQuery, basic)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    }
    assertThat(gateway.received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"unauthorized\"}"))
        .isEqualTo(4.0);
  }

  @Test
  @DisplayName("a blank ingest.token does not open ingestion: a secret is generated and required")
  void generatedSecretRequired() throws Exception {
    start(Map.of("ingest.token", ""));
    acknowledge();

    var none = post(UP, fixture("chirpstack-v4-up.json"), null);
    var empty = post(UP, fixture("chirpstack-v4-up.json"), "Bearer ");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(empty.statusCode()).isEqualTo(401);
    assertThat(gateway.received).isEmpty();
  }

  @Test
  @DisplayName("malformed bodies are answered 400 naming the faulty field, and are counted")
  void malformed() throws Exception {
    start(Map.of());
    acknowledge();
    var cases = Map.<String, Buffer>of(
        "the body is not valid JSON", Buffer.buffer("{\"deviceInfo\": {"),
        "the body must be a JSON object", Buffer.buffer("[1, 2]"),
        "the body is empty", Buffer.buffer(),
        "data is not valid base64", mutated(b -> b.put("data", "%%%")),
        "deviceInfo.devEui must be 16 hex digits", mutated(b -> b.getJsonObject("deviceInfo").put("devEui", "not-a-eui")),
        "fCnt must be an unsigned integer, got 'abc'", mutated(b -> b.put("fCnt", "abc")),
        "rxInfo[0].snr must be a number", mutated(b -> b.getJsonArray("rxInfo").getJsonObject(0).put("snr", new JsonObject())));

    for (var entry : cases.entrySet()) {
      var response = post(UP, entry.getValue(), bearer(SECRET));
      assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(response.bodyAsJsonObject().getString("message")).contains(entry.getKey());
    }
    assertThat(gateway.received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"malformed\"}"))
        .isEqualTo(cases.size());
  }

  @Test
  @DisplayName("a body larger than ingest.bodyLimit is answered 413")
  void tooLarge() throws Exception {
    start(Map.of("ingest.bodyLimit", 2048));
    acknowledge();
    var body = fixture("chirpstack-v4-up.json").put("padding", "x".repeat(4096));

    var response = post(UP, body.toBuffer(), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("payload_too_large");
    assertThat(gateway.received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"too_large\"}"))
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("the protobuf encoding is refused with 415 and a hint to switch ChirpStack to JSON")
  void protobufRefused() throws Exception {
    start(Map.of());
    acknowledge();

    var response = await(client.post(running.port(), "localhost", UP).putHeader("Authorization", bearer(SECRET))
        .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(new byte[] {0x0a, 0x24})));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"join", "status", "ack", "txack", "log", "location", "integration"})
  @DisplayName("other ChirpStack events are accepted with 204, counted and not forwarded")
  void otherEventsIgnored(String event) throws Exception {
    start(Map.of());
    acknowledge();

    var response = post("/uplinks/chirpstack?event=" + event, Buffer.buffer("{\"deviceInfo\":{}}"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(gateway.received).isEmpty();
    assertThat(metric("vigie_gateway_events_ignored_total{adapter=\"chirpstack-v4\",event=\"" + event + "\"}"))
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("a missing or unknown event is answered 400")
  void badEvent() throws Exception {
    start(Map.of());
    acknowledge();

    var missing = post("/uplinks/chirpstack", fixture("chirpstack-v4-up.json"), bearer(SECRET));
    var unknown = post("/uplinks/chirpstack?event=upp", fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("message")).contains("'event' is missing");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject().getString("message")).contains("unknown ChirpStack event 'upp'");
    assertThat(gateway.received).isEmpty();
  }

  // ---------------------------------------------------------------- what the door answers

  @Test
  @DisplayName("an unknown device (the registry answers 404) is answered 404 at the door and nothing is appended")
  void unknownDevice() throws Exception {
    start(Map.of());
    gateway.forget("0101010101010101");

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("error", "not_found").put("message", "unknown device 0101010101010101"));
    assertThat(gateway.logLength()).isZero();
  }

  @Test
  @DisplayName("with no decoder running the uplink is still accepted (202): it waits in the ingest log")
  void noDecoderStillAccepted() throws Exception {
    start(Map.of());

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(gateway.logLength()).isEqualTo(1);
    assertThat(metric("vigie_gateway_uplinks_appended_total{adapter=\"chirpstack-v4\"}")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("when Redis cannot be reached the answer is 503 with Retry-After")
  void redisDown() throws Exception {
    start(Map.of("redis.url", "redis://127.0.0.1:1"), false);

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertUnavailable(response);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("the ingest log (Redis) cannot be reached");
  }

  // ---------------------------------------------------------------- helpers

  @Test
  @DisplayName("the gateway's port cuts a client dribbling an uplink's headers at the deadline and answers 431 to 20 kB of headers, while uplinks keep being accepted")
  void slowAndOversizedClients() throws Exception {
    start(Map.of("http.requestTimeout", 1500));
    acknowledge();
    var fCnt = new java.util.concurrent.atomic.AtomicInteger(100);
    try (var slow = new RawHttp(running.port()).send("POST " + UP + " HTTP/1.1\r\nHost: localhost\r\n").dribble("X-Slow: loris\r\n", 50);
         var big = new RawHttp(running.port()).send("POST " + UP + " HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
        var up = fixture("chirpstack-v4-up.json").put("fCnt", fCnt.incrementAndGet());
        assertThat(post(UP, up, bearer(SECRET)).statusCode()).isEqualTo(202);
        return slow.closed().isDone();
      });
      assertThat(big.statusLine()).matches("HTTP/1\\.[01] 431 .*");
    }
    assertThat(metric("vigie_http_connections_closed_total{reason=\"header_timeout\"}")).isEqualTo(1.0);
  }

  private void start(Map<String, Object> settings) throws Exception {
    start(settings, true);
  }

  private void start(Map<String, Object> settings, boolean redisUp) throws Exception {
    var all = new java.util.HashMap<String, Object>(settings);
    all.put("udp.port", "off");
    gateway = redisUp ? TestGateway.start(all) : TestGateway.startOnSameLog(all);
    running = gateway.running;
    client = gateway.client;
  }

  /** The stand-in decoder answers every batch: stored. */
  private void acknowledge() throws Exception {
    gateway.acknowledgeUplinks();
  }

  private HttpResponse<Buffer> post(String uri, Buffer body, String authorization) throws Exception {
    var request = client.post(running.port(), "localhost", uri).putHeader("Content-Type", "application/json");
    if (authorization != null) request.putHeader("Authorization", authorization);
    return await(request.sendBuffer(body));
  }

  private HttpResponse<Buffer> post(String uri, JsonObject body, String authorization) throws Exception {
    return post(uri, body.toBuffer(), authorization);
  }

  private double metric(String series) throws Exception {
    var text = await(client.get(running.port(), "localhost", "/metrics").send()).bodyAsString();
    return text.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst().orElse(0.0);
  }

  private static void assertUnavailable(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isNotBlank();
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
  }

  private static String bearer(String secret) {
    return "Bearer " + secret;
  }

  private static Buffer mutated(Consumer<JsonObject> mutation) {
    var body = fixture("chirpstack-v4-up.json");
    mutation.accept(body);
    return body.toBuffer();
  }

  private static JsonObject fixture(String name) {
    try (var in = GatewayServiceTest.class.getResourceAsStream("/payload/" + name)) {
      if (in == null) throw new IllegalStateException("missing fixture " + name);
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
