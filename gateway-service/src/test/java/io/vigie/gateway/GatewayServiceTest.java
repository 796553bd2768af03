package io.vigie.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.Addresses;
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

  private ServiceLauncher.Running running;
  private WebClient client;
  private final BlockingQueue<Message<JsonObject>> received = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws Exception {
    if (running != null) await(running.stop());
  }

  // ---------------------------------------------------------------- the happy path

  @Test
  @DisplayName("an up event is handed to the decoder as the canonical uplink and answered 202 with its id")
  void upEventForwarded() throws Exception {
    start(Map.of());
    acknowledge(false);

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "0101010101010101-00000007"));
    var uplink = received.poll(5, TimeUnit.SECONDS).body();
    assertThat(Uplink.fromJson(uplink)).isEqualTo(new Uplink("0101010101010101", 7, 1, "016700eb", false, "00189440",
        Instant.parse("2026-11-29T09:34:15.775023242Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5), new RxInfo("0016c001f153a14d", -98.0, -2.25)), null,
        new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", false, false)));
    assertThat(uplink.getString("id")).isEqualTo("0101010101010101-00000007");
    assertThat(received).isEmpty();
  }

  @Test
  @DisplayName("the first frame, without fCnt in the body, is forwarded with fCnt 0")
  void firstFrameForwarded() throws Exception {
    start(Map.of());
    acknowledge(false);

    var response = post(UP, fixture("chirpstack-v4-up-first-frame.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo("0101010101010101-00000000");
    assertThat(Uplink.fromJson(received.poll(5, TimeUnit.SECONDS).body())).isEqualTo(new Uplink("0101010101010101", 0, 1,
        "01670032", false, "00189440", Instant.parse("2026-11-29T09:30:00.100Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -40.0, 9.0)), null,
        new TxInfo(868_100_000L, 0, null, null, null, false, false)));
  }

  @Test
  @DisplayName("an uplink already stored is answered 200 with duplicate true")
  void duplicate() throws Exception {
    start(Map.of());
    acknowledge(true);

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("duplicate", true).put("id", "0101010101010101-00000007"));
  }

  @Test
  @DisplayName("the secret is also accepted as the token query parameter")
  void tokenInQuery() throws Exception {
    start(Map.of());
    acknowledge(false);

    var response = post(UP + "&token=" + SECRET, fixture("chirpstack-v4-up.json"), null);

    assertThat(response.statusCode()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- refusals

  @Test
  @DisplayName("without the secret, or with a wrong one, the answer is 401 and nothing is forwarded")
  void unauthorized() throws Exception {
    start(Map.of());
    acknowledge(false);

    var missing = post(UP, fixture("chirpstack-v4-up.json"), null);
    var wrong = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET + "x"));
    var wrongQuery = post(UP + "&token=nope", fixture("chirpstack-v4-up.json"), null);
    var basic = post(UP, fixture("chirpstack-v4-up.json"), "Basic " + SECRET);

    for (var response : List.of(missing, wrong, wrongQuery, basic)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    }
    assertThat(received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"unauthorized\"}"))
        .isEqualTo(4.0);
  }

  @Test
  @DisplayName("a blank ingest.token does not open ingestion: a secret is generated and required")
  void generatedSecretRequired() throws Exception {
    start(Map.of("ingest.token", ""));
    acknowledge(false);

    var none = post(UP, fixture("chirpstack-v4-up.json"), null);
    var empty = post(UP, fixture("chirpstack-v4-up.json"), "Bearer ");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(empty.statusCode()).isEqualTo(401);
    assertThat(received).isEmpty();
  }

  @Test
  @DisplayName("malformed bodies are answered 400 naming the faulty field, and are counted")
  void malformed() throws Exception {
    start(Map.of());
    acknowledge(false);
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
    assertThat(received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"malformed\"}"))
        .isEqualTo(cases.size());
  }

  @Test
  @DisplayName("a body larger than ingest.bodyLimit is answered 413")
  void tooLarge() throws Exception {
    start(Map.of("ingest.bodyLimit", 2048));
    acknowledge(false);
    var body = fixture("chirpstack-v4-up.json").put("padding", "x".repeat(4096));

    var response = post(UP, body.toBuffer(), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("payload_too_large");
    assertThat(received).isEmpty();
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"too_large\"}"))
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("the protobuf encoding is refused with 415 and a hint to switch ChirpStack to JSON")
  void protobufRefused() throws Exception {
    start(Map.of());
    acknowledge(false);

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
    acknowledge(false);

    var response = post("/uplinks/chirpstack?event=" + event, Buffer.buffer("{\"deviceInfo\":{}}"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(received).isEmpty();
    assertThat(metric("vigie_gateway_events_ignored_total{adapter=\"chirpstack-v4\",event=\"" + event + "\"}"))
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("a missing or unknown event is answered 400")
  void badEvent() throws Exception {
    start(Map.of());
    acknowledge(false);

    var missing = post("/uplinks/chirpstack", fixture("chirpstack-v4-up.json"), bearer(SECRET));
    var unknown = post("/uplinks/chirpstack?event=upp", fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("message")).contains("'event' is missing");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject().getString("message")).contains("unknown ChirpStack event 'upp'");
    assertThat(received).isEmpty();
  }

  // ---------------------------------------------------------------- what the pipeline answers

  @Test
  @DisplayName("an unknown device (the pipeline fails with 404) is answered 404")
  void unknownDevice() throws Exception {
    start(Map.of());
    running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED,
        message -> message.fail(404, "unknown device 0101010101010101"));

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("error", "not_found").put("message", "unknown device 0101010101010101"));
  }

  @Test
  @DisplayName("an uplink the pipeline finds malformed (failure 400) is answered 400")
  void pipelineBadRequest() throws Exception {
    start(Map.of());
    running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> message.fail(400, "bad uplink"));

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("when nothing consumes uplink.received the answer is 503 with Retry-After")
  void noDecoder() throws Exception {
    start(Map.of());

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertUnavailable(response);
    assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("no decoder is running (nothing consumes uplink.received)");
  }

  @Test
  @DisplayName("when the pipeline does not answer within bus.requestTimeout the answer is 503 with Retry-After")
  void timeout() throws Exception {
    start(Map.of("bus.requestTimeout", 300));
    running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, received::add); // never answers

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertUnavailable(response);
    assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("the pipeline did not acknowledge the uplink within 300 ms");
    assertThat(received).hasSize(1);
  }

  @Test
  @DisplayName("a failing stage (failure 500) is answered 503 so that the network server delivers again")
  void stageFailure() throws Exception {
    start(Map.of());
    running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> message.fail(500, "store down"));

    var response = post(UP, fixture("chirpstack-v4-up.json"), bearer(SECRET));

    assertUnavailable(response);
  }

  @Test
  @DisplayName("past ingest.maxInFlight uplinks waiting for their ack, the answer is 503 until one completes")
  void backPressure() throws Exception {
    start(Map.of("ingest.maxInFlight", 1));
    running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, received::add); // holds them

    var first = post(UP, fixture("chirpstack-v4-up.json"));
    var held = received.poll(10, TimeUnit.SECONDS);
    assertThat(held).as("the first uplink reached the decoder").isNotNull();

    var second = await(post(UP, fixture("chirpstack-v4-up-first-frame.json")));
    assertUnavailable(second);
    assertThat(second.bodyAsJsonObject().getString("message")).contains("1 uplinks from chirpstack-v4");
    assertThat(metric("vigie_gateway_uplinks_rejected_total{adapter=\"chirpstack-v4\",reason=\"saturated\"}"))
        .isEqualTo(1.0);

    held.reply(new Ack(held.body().getString("id"), false).toJson());
    assertThat(await(first).statusCode()).isEqualTo(202);

    var third = post(UP, fixture("chirpstack-v4-up-first-frame.json"));
    received.poll(10, TimeUnit.SECONDS).reply(new Ack("0101010101010101-00000000", false).toJson());
    assertThat(await(third).statusCode()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- helpers

  private void start(Map<String, Object> settings) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("ingest", new JsonObject().put("token", SECRET))
        .put("udp", new JsonObject().put("port", "off"));
    settings.forEach((path, value) -> io.vigie.common.config.ConfigLoader.put(overrides, path, value));
    running = await(ServiceLauncher.launch(List.of(new GatewayService()), Map.of(), overrides));
    client = WebClient.create(running.vertx());
  }

  /** The stand-in decoder: records the uplink and acknowledges it end to end. */
  private void acknowledge(boolean duplicate) throws Exception {
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      received.add(message);
      message.reply(new Ack(message.body().getString("id"), duplicate).toJson());
    }).completion());
  }

  private HttpResponse<Buffer> post(String uri, Buffer body, String authorization) throws Exception {
    var request = client.post(running.port(), "localhost", uri).putHeader("Content-Type", "application/json");
    if (authorization != null) request.putHeader("Authorization", authorization);
    return await(request.sendBuffer(body));
  }

  private HttpResponse<Buffer> post(String uri, JsonObject body, String authorization) throws Exception {
    return post(uri, body.toBuffer(), authorization);
  }

  private Future<HttpResponse<Buffer>> post(String uri, JsonObject body) {
    return client.post(running.port(), "localhost", uri).putHeader("Authorization", bearer(SECRET))
        .sendJsonObject(body);
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
