package io.vigie.gateway;

import static io.vigie.gateway.TestGateway.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.message.UplinkStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ingest log behind the webhooks, on the real Redis of {@code testing}: idempotent append, entries leaving the
 * log only once their batch is answered, retries, order, and the fates served at
 * {@code GET /api/v1/devices/{devEui}/uplinks}. A stand-in decoder on {@code uplink.received} speaks the batch protocol.
 */
class IngestLogTest {
  private static final String DEV_EUI = "0101010101010101";

  private TestGateway gateway;
  private TestTokens tokens;
  private final BlockingQueue<Message<JsonObject>> batches = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) gateway.close();
  }

  @Test
  @DisplayName("a counter already appended answers 200 duplicate without a second entry; one below the remembered window is appended again")
  void idempotentAppend() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off"));

    assertThat(post(100).statusCode()).isEqualTo(202);
    assertThat(post(90).statusCode()).as("a late counter, never seen").isEqualTo(202);
    var again = post(90);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(new JsonObject().put("duplicate", true).put("id", DEV_EUI + "-0000005a"));
    assertThat(post(100).statusCode()).isEqualTo(200);
    assertThat(post(20).statusCode()).as("80 below the highest: past the window, downstream decides").isEqualTo(202);
    assertThat(post(20).statusCode()).isEqualTo(202);
    assertThat(gateway.logLength()).isEqualTo(4);
    var fates = TestGateway.await(gateway.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.LRANGE)
        .arg("vigie:uplinks:{" + DEV_EUI + "}").arg(0).arg(-1)));
    assertThat(fates.stream().map(f -> new JsonObject(f.toString()).getString("status")).toList())
        .as("each re-delivery recorded as a duplicate").containsExactly("duplicate", "duplicate");
  }

  @Test
  @DisplayName("past ingest.maxBytes of a partition appends answer 503 with Retry-After, and the bytes come back once the batch is answered")
  void boundedBytes() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off", "ingest.partitions", 1, "ingest.maxBytes", 1024));

    var answers = new ArrayList<Integer>();
    for (int fCnt = 1; fCnt <= 4; fCnt++) answers.add(post(fCnt).statusCode());
    assertThat(answers).startsWith(202).contains(503);
    var full = post(10);
    assertThat(full.statusCode()).isEqualTo(503);
    assertThat(full.getHeader("Retry-After")).isNotBlank();
    assertThat(full.bodyAsJsonObject().getString("message")).contains("ingest.maxBytes");

    gateway.acknowledgeUplinks();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.logLength() == 0);
    assertThat(post(10).statusCode()).as("room again").isEqualTo(202);
  }

  @Test
  @DisplayName("the entries stay in the log until their batch is answered, then leave it and their fates are recorded")
  void removedOnlyAfterReply() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off")).recordUplinks();

    assertThat(post(7).statusCode()).isEqualTo(202);
    var batch = gateway.batches.poll(10, TimeUnit.SECONDS);
    assertThat(batch).isNotNull();
    assertThat(gateway.logLength()).as("in flight, still in the log").isEqualTo(1);
    assertThat(uplinks().getJsonObject(0).getString("status")).isEqualTo("pending");

    batch.reply(TestGateway.results(batch, UplinkStatus.STORED));

    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.logLength() == 0);
    var row = uplinks().getJsonObject(0);
    assertThat(row.getString("status")).isEqualTo("stored");
    assertThat(row.getString("id")).isEqualTo(DEV_EUI + "-00000007");
  }

  @Test
  @DisplayName("a failed batch reply keeps the entries, and the same batch is sent again until it is answered")
  void failedReplyRetried() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off"));
    var attempts = new AtomicInteger();
    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      batches.add(message);
      if (attempts.incrementAndGet() <= 2) message.fail(503, "Elasticsearch is down");
      else TestGateway.ack(message);
    });

    assertThat(post(1).statusCode()).isEqualTo(202);
    assertThat(post(2).statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.logLength() == 0);
    var ids = new ArrayList<List<String>>();
    batches.forEach(batch -> ids.add(TestGateway.uplinksOf(batch).stream().map(u -> ((JsonObject) u).getString("id")).toList()));
    assertThat(ids.get(0)).as("the first batch").isNotEmpty();
    assertThat(ids.get(1)).as("sent again, the same").isEqualTo(ids.get(0));
    assertThat(ids.stream().flatMap(List::stream).distinct()).containsExactly(DEV_EUI + "-00000001", DEV_EUI + "-00000002");
    assertThat(gateway.metric("vigie_gateway_ingest_batches_total{outcome=\"failed\"}")).isEqualTo(2.0);
  }

  @Test
  @DisplayName("20 uplinks of one device posted back to back reach the decoder in the order they were accepted")
  void ordered() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off", "ingest.batch", 3)).acknowledgeUplinks();

    for (int fCnt = 1; fCnt <= 20; fCnt++) assertThat(post(fCnt).statusCode()).isEqualTo(202);

    var counters = new ArrayList<Long>();
    for (int i = 0; i < 20; i++) counters.add(gateway.nextUplink(10).getLong("fCnt"));
    assertThat(counters).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(Long::valueOf).toList());
    assertThat(gateway.batches).allMatch(batch -> TestGateway.uplinksOf(batch).size() <= 3);
  }

  @Test
  @DisplayName("GET /api/v1/devices/{devEui}/uplinks shows the pending uplinks then the recorded fates, newest first, to those who may see the device")
  void uplinksRoute() throws Exception {
    gateway = TestGateway.start(Map.of("udp.port", "off"));
    var up = new java.util.concurrent.atomic.AtomicBoolean(true);
    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      if (up.get()) message.reply(TestGateway.results(message, UplinkStatus.REPLAY));
      else message.fail(503, "down");
    });
    post(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.logLength() == 0);
    up.set(false);
    post(2);

    var rows = uplinks();
    assertThat(rows.size()).isEqualTo(2);
    assertThat(rows.getJsonObject(0).getString("status")).isEqualTo("pending");
    assertThat(rows.getJsonObject(0).getLong("fCnt")).isEqualTo(2);
    assertThat(rows.getJsonObject(1).getString("status")).isEqualTo("replay");
    assertThat(rows.getJsonObject(1).getString("reason")).isEqualTo("test");
    assertThat(rows.getJsonObject(1).getString("source")).isEqualTo("chirpstack-v4");
    assertThat(rows.getJsonObject(1).containsKey("devEui")).isFalse();

    var tokens = tokens();
    assertThat(get(DEV_EUI, tokens.token(viewer("default", "site-paris")), "?limit=1").bodyAsJsonObject()
        .getJsonArray("uplinks").size()).isEqualTo(1);
    assertThat(get(DEV_EUI, tokens.token(viewer("default", "site-lyon")), "").statusCode()).as("out of scope").isEqualTo(404);
    assertThat(get(DEV_EUI, tokens.token(viewer("acme", "acme")), "").statusCode()).as("another tenant").isEqualTo(404);
    gateway.forget("0202020202020202");
    var unknown = get("0202020202020202", tokens.token(viewer("default", "default")), "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject()).isEqualTo(get(DEV_EUI, tokens.token(viewer("acme", "acme")), "").bodyAsJsonObject()
        .put("message", "no device 0202020202020202"));
    assertThat(get(DEV_EUI, tokens.token(viewer("default", "default")), "?limit=101").statusCode()).isEqualTo(400);
    assertThat(get(DEV_EUI, null, "").statusCode()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- helpers

  private static VigiePrincipal viewer(String tenant, String scope) {
    return new VigiePrincipal("someone", tenant, Role.VIEWER, List.of(scope));
  }

  private HttpResponse<Buffer> post(long fCnt) throws Exception {
    var body = Fixtures.json("chirpstack-v4-up.json").put("fCnt", fCnt);
    return TestGateway.await(gateway.client.post(gateway.running.port(), "localhost", "/uplinks/chirpstack?event=up")
        .putHeader("Authorization", "Bearer " + SECRET).sendJsonObject(body));
  }

  private TestTokens tokens() {
    if (tokens == null) tokens = TestTokens.create(gateway.running.vertx()).serveJwks(gateway.running.vertx());
    return tokens;
  }

  private io.vertx.core.json.JsonArray uplinks() throws Exception {
    var response = get(DEV_EUI, tokens().token(viewer("default", "default")), "");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("uplinks");
  }

  private HttpResponse<Buffer> get(String devEui, String token, String query) throws Exception {
    var request = gateway.client.get(gateway.running.port(), "localhost", "/api/v1/devices/" + devEui + "/uplinks" + query);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    return TestGateway.await(request.send());
  }
}
