package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end through public interfaces only: a ChirpStack v4 uplink posted
 * over HTTP is acknowledged once it is in the ingest log (202), then stored in Elasticsearch, pushed to a SockJS
 * client and raises an alert (storage happens after the 202: the tests wait for it). What a network
 * server says about an uplink reaches Elasticsearch too: Cayenne LPP channels, radio settings, and a warning when the
 * source contradicts the device's activation mode.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The platform, end to end")
class PlatformEndToEndTest {
  static final String DEV_EUI = "0101010101010101";
  static final String INGEST_TOKEN = "e2e-ingest-secret";
  static final String ADMIN_PASSWORD = "e2e-admin-password";
  static final String INDEX_PREFIX = "e2e-measurements";
  static final String TWO_PROBES = "0a0a0a0a0a0a0a0a";
  static final String ABP = "0b0b0b0b0b0b0b0b";
  static final String NETWORK = "0c0c0c0c0c0c0c0c";

  static Platform platform;
  static Vertx clientVertx;
  static PlatformClient client;
  static String esUrl;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    esUrl = elasticsearch.url();
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-e2e").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/1"))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", INDEX_PREFIX))
        .put("mqtt", new JsonObject().put("url", mqtt.url()))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN))
        .put("alert", new JsonObject().put("temperatureAbove", 8.0));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    clientVertx = Vertx.vertx();
    client = new PlatformClient(clientVertx, platform.port());
  }

  @AfterAll
  static void stop() {
    if (clientVertx != null) clientVertx.close();
    if (platform != null) platform.close();
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a ChirpStack uplink is acknowledged, stored once, pushed live and raises an alert; its re-delivery is a duplicate")
  void chirpStackUplinkEndToEnd() throws Exception {
    var token = join(client.token("admin", ADMIN_PASSWORD));
    join(client.registerFridge(token, DEV_EUI));
    // the tenant's default temperature rule waits 15 minutes: this one alerts at once
    var rule = join(client.put(token, "/api/v1/alert-rules/default-temperature-above", new JsonObject().put("nodeId", "default")
        .put("kind", "above").put("measurement", "temperature").put("threshold", 8.0).put("severity", "major")));
    assertThat(rule.statusCode()).as(rule.bodyAsString()).isIn(200, 201);

    var live = join(client.sockJs());
    join(live.register("telemetry.device." + DEV_EUI, token));
    join(live.register("telemetry.node.site-paris", token));
    join(live.register("alerts.node.site-paris", token));
    waitForSubscriptions(3);

    var fixture = PlatformClient.fixture("chirpstack-v4.uplink.json");   // fCnt 7, 01 67 00 eb = 23.5 °C
    var accepted = join(client.uplink(INGEST_TOKEN, fixture));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);

    var id = DEV_EUI + "-00000007";
    var document = stored(id);
    assertThat(document.getString("tenant")).isEqualTo("default");
    assertThat(document.getLong("fCnt")).isEqualTo(7);
    assertThat(document.getString("receivedAt")).startsWith("2026-11-29T09:34:15.775");
    assertThat(document.getJsonArray("measurements").getJsonObject(0).getMap())
        .containsEntry("name", "temperature").containsEntry("unit", "Cel").containsEntry("value", 23.5);
    assertThat(document.getJsonArray("path").stream().map(p -> ((JsonObject) p).getString("id")).toList())
        .containsExactly("default", "site-paris", "bldg-a", "kitchen-1", "fridge-12");
    assertThat(document.getJsonArray("rx")).hasSize(2);

    await().atMost(Duration.ofSeconds(30)).until(() -> !live.received("telemetry.device." + DEV_EUI).isEmpty()
        && !live.received("telemetry.node.site-paris").isEmpty() && !live.received("alerts.node.site-paris").isEmpty());
    var pushed = live.received("telemetry.device." + DEV_EUI).get(0).getJsonObject("body");
    assertThat(pushed.getString("id")).isEqualTo(id);
    var alert = live.received("alerts.node.site-paris").get(0).getJsonObject("body");
    assertThat(alert.getString("devEui")).isEqualTo(DEV_EUI);
    assertThat(alert.getString("status")).isEqualTo("active");
    assertThat(alert.getDouble("lastValue")).isEqualTo(23.5);

    var again = join(client.uplink(INGEST_TOKEN, fixture));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> fates(token, DEV_EUI).contains(id + "=duplicate"));
    assertThat(fates(token, DEV_EUI)).as("newest first: the re-delivery, then the stored uplink")
        .containsExactly(id + "=duplicate", id + "=stored");
    assertThat(storedDocuments(id).getJsonObject("hits").getJsonObject("total").getInteger("value")).isEqualTo(1);
    assertThat(live.received("telemetry.device." + DEV_EUI)).hasSize(1);
    assertThat(live.errors()).isEmpty();
  }

  @Test
  @DisplayName("two LPP temperatures are stored as temperature on channels 1 and 2, with the radio settings, indexed and readable by channel")
  void channelsAndRadioSettings() throws Exception {
    var token = join(client.token("admin", ADMIN_PASSWORD));
    created(client.put(token, "/api/v1/device-types/lpp-probe", new JsonObject().put("name", "LPP probe")
        .put("codec", new JsonObject().put("kind", "cayenne-lpp"))));
    created(client.post(token, "/api/v1/devices", device(TWO_PROBES, new JsonObject().put("mode", "network-decrypted"))));
    var uplink = chirpStack(TWO_PROBES, 21, "016700eb" + "0267ff4c").put("adr", true).put("confirmed", true);
    assertThat(join(client.uplink(INGEST_TOKEN, uplink)).statusCode()).isEqualTo(202);

    var document = stored(TWO_PROBES + "-00000015");
    assertThat(document.getJsonArray("measurements")).containsExactly(
        new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", 23.5).put("channel", 1),
        new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", -18.0).put("channel", 2));
    assertThat(document.getJsonObject("values").getDouble("temperature_2")).isEqualTo(-18.0);
    assertThat(document.getJsonObject("tx")).isEqualTo(new JsonObject().put("frequencyHz", 867_100_000L).put("dataRate", 5)
        .put("spreadingFactor", 7).put("bandwidthHz", 125_000).put("codingRate", "4/5").put("adr", true).put("confirmed", true));

    var index = (JsonObject) es("GET", "/" + INDEX_PREFIX + "-*/_mapping", null).iterator().next().getValue();
    var fields = index.getJsonObject("mappings").getJsonObject("properties");
    assertThat(fields.getJsonObject("measurements").getJsonObject("properties").getJsonObject("channel").getString("type"))
        .as("the template declares the channel").isEqualTo("integer");
    var tx = fields.getJsonObject("tx").getJsonObject("properties");
    assertThat(tx.getJsonObject("frequencyHz").getString("type")).isEqualTo("long");
    assertThat(tx.getJsonObject("confirmed").getString("type")).isEqualTo("boolean");
    assertThat(fields.getJsonObject("warnings").getString("type")).isEqualTo("keyword");
    var bySensor = new JsonObject().put("query", new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray()
        .add(new JsonObject().put("term", new JsonObject().put("tx.spreadingFactor", 7)))
        .add(new JsonObject().put("nested", new JsonObject().put("path", "measurements").put("query", new JsonObject()
            .put("term", new JsonObject().put("measurements.channel", 2))))))));
    assertThat(es("POST", "/" + INDEX_PREFIX + "-*/_search", bySensor).getJsonObject("hits").getJsonObject("total")
        .getInteger("value")).as("indexed, not only kept in _source").isEqualTo(1);

    var second = join(client.http.get("/api/v1/history/devices/" + TWO_PROBES)
        .addQueryParam("name", "temperature").addQueryParam("channel", "2")
        .addQueryParam("from", "2026-11-29").addQueryParam("to", "2026-11-30").bearerTokenAuthentication(token).send());
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getJsonArray("points")).containsExactly(new JsonObject()
        .put("t", "2026-11-29T09:34:15.775023242Z").put("value", -18.0).put("channel", 2));
  }

  @Test
  @DisplayName("an ABP device whose payload the source already decrypted, and a network-decrypted one whose payload "
      + "arrives encrypted, are stored with a warning that says so")
  void activationMismatches() throws Exception {
    var token = join(client.token("admin", ADMIN_PASSWORD));
    created(client.put(token, "/api/v1/device-types/lpp-probe", new JsonObject().put("name", "LPP probe")
        .put("codec", new JsonObject().put("kind", "cayenne-lpp"))));
    created(client.post(token, "/api/v1/devices", device(ABP, new JsonObject().put("mode", "ABP").put("devAddr", "00189440")
        .put("appSKey", "2b7e151628aed2a6abf7158809cf4f3c").put("nwkSKey", "000102030405060708090a0b0c0d0e0f"))));
    created(client.post(token, "/api/v1/devices", device(NETWORK, new JsonObject().put("mode", "network-decrypted"))));
    assertThat(join(client.uplink(INGEST_TOKEN, chirpStack(ABP, 3, "016700eb"))).statusCode()).isEqualTo(202);
    var tts = new JsonObject()
        .put("end_device_ids", new JsonObject().put("device_id", "probe-c").put("dev_eui", NETWORK.toUpperCase()))
        .put("uplink_message", new JsonObject().put("f_port", 1).put("f_cnt", 4)
            .put("frm_payload", Base64.getEncoder().encodeToString(HexFormat.of().parseHex("deadbeef")))
            .put("received_at", "2026-11-29T13:45:02.110Z")
            .put("app_s_key", new JsonObject().put("encrypted_key", "xnVZ8ezqAJTMfNrqrRIUf4uE9ZCA0QuH").put("kek_label", "as:010042")));
    var posted = join(client.http.post("/uplinks/ttn").bearerTokenAuthentication(INGEST_TOKEN).sendJsonObject(tts));
    assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(202);

    var abp = stored(ABP + "-00000003");
    assertThat(abp.getJsonArray("measurements").getJsonObject(0).getDouble("value")).as("the clear payload, used as given")
        .isEqualTo(23.5);
    assertThat(abp.getJsonArray("warnings").getString(0)).startsWith("activation mismatch: the device is registered ABP")
        .contains("chirpstack-v4 forwarded the payload already decrypted");

    var network = stored(NETWORK + "-00000004");
    assertThat(network.getJsonArray("measurements")).isEmpty();
    assertThat(network.getJsonObject("decoded").getString("payloadHex")).isEqualTo("deadbeef");
    assertThat(network.getJsonArray("warnings").getString(0))
        .startsWith("activation mismatch: the device is registered network-decrypted")
        .contains("tts-v3 forwarded the payload encrypted");
    assertThat(network.getJsonArray("errors")).isNotEmpty();

    var metrics = join(client.http.get("/metrics").send()).bodyAsString();
    assertThat(metrics).contains("vigie_decoder_activation_mismatches_total{kind=\"abp_clear\"")
        .contains("vigie_decoder_activation_mismatches_total{kind=\"network_encrypted\"");
  }

  @Test
  @DisplayName("the demo fleet registers itself through the API and every reading of a round is acknowledged")
  void demoFleet() throws Exception {
    var fleet = new io.vigie.simulator.Fleet(clientVertx, "http://127.0.0.1:" + platform.port(), INGEST_TOKEN);
    join(fleet.register("admin", ADMIN_PASSWORD, 8));
    join(fleet.register("admin", ADMIN_PASSWORD, 8));   // idempotent: a restart re-registers
    join(fleet.sendRound());
    assertThat(fleet.probes()).hasSize(8);
    assertThat(fleet.sent()).isEqualTo(8);
    assertThat(fleet.acked()).isEqualTo(8);
    assertThat(fleet.rejected()).isZero();
    var probe = fleet.probes().get(0);
    var token = join(client.token("admin", ADMIN_PASSWORD));
    var device = join(client.http.get("/api/v1/devices/" + probe.devEui()).bearerTokenAuthentication(token).send());
    assertThat(device.statusCode()).isEqualTo(200);
    assertThat(device.bodyAsJsonObject().getString("nodeId")).isEqualTo(probe.fridgeId());
  }

  @Test
  @DisplayName("a JavaScript codec is activated only when its examples pass, decodes uplinks, and a new script applies "
      + "to the next uplink without a restart")
  void javascriptCodec() throws Exception {
    var token = join(client.token("admin", ADMIN_PASSWORD));
    var script = "function decodeUplink(input) { var raw = input.bytes[0] << 8 | input.bytes[1];"
        + " return { data: { TempC_SHT: (raw & 0x8000 ? raw - 0x10000 : raw) / 100, BatV: input.bytes[2] / 50 } }; }";
    var examples = new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("description", "-18.5 °C").put("input", new JsonObject().put("fPort", 2)
                .put("bytes", new io.vertx.core.json.JsonArray().add(0xf8).add(0xc6).add(180)))
            .put("output", new JsonObject().put("data", new JsonObject().put("TempC_SHT", -18.5).put("BatV", 3.6))));
    var wrong = examples.copy();
    wrong.getJsonObject(0).getJsonObject("output").getJsonObject("data").put("TempC_SHT", -1.85);

    var refused = join(client.put(token, "/api/v1/device-types/js-probe", new JsonObject().put("name", "JS probe")
        .put("codec", new JsonObject().put("kind", "javascript").put("script", script).put("examples", wrong))));
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getJsonObject("actual")
        .getJsonObject("data").getDouble("TempC_SHT")).isEqualTo(-18.5);
    var missing = join(client.http.get("/api/v1/device-types/js-probe").bearerTokenAuthentication(token).send());
    assertThat(missing.statusCode()).as("a refused codec is not stored").isEqualTo(404);

    var accepted = join(client.put(token, "/api/v1/device-types/js-probe", new JsonObject().put("name", "JS probe")
        .put("codec", new JsonObject().put("kind", "javascript").put("script", script).put("examples", examples))));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(201);
    var tested = join(client.post(token, "/api/v1/device-types/js-probe/test", new JsonObject()));
    assertThat(tested.bodyAsJsonObject().getBoolean("passed")).as(tested.bodyAsString()).isTrue();

    var devEui = "0303030303030303";
    assertThat(join(client.post(token, "/api/v1/devices", new JsonObject().put("devEui", devEui).put("name", "JS probe")
        .put("nodeId", "default").put("type", "js-probe")
        .put("activation", new JsonObject().put("mode", "network-decrypted")))).statusCode()).isEqualTo(201);
    var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
    uplink.getJsonObject("deviceInfo").put("devEui", devEui);
    uplink.put("fCnt", 1).put("fPort", 2).put("data", java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xf8, (byte) 0xc6, (byte) 180}));
    assertThat(join(client.uplink(INGEST_TOKEN, uplink)).statusCode()).isEqualTo(202);
    var first = stored(devEui + "-00000001");
    assertThat(first.getJsonArray("measurements").stream().map(m -> ((JsonObject) m).getString("name") + "="
        + ((JsonObject) m).getDouble("value")).toList()).containsExactlyInAnyOrder("temperature=-18.5", "battery=3.6");

    var fahrenheit = "function decodeUplink(input) { return { data: { TempF: 41 } }; }";
    assertThat(join(client.put(token, "/api/v1/device-types/js-probe", new JsonObject().put("name", "JS probe")
        .put("codec", new JsonObject().put("kind", "javascript").put("script", fahrenheit)))).statusCode()).isEqualTo(200);
    uplink.put("fCnt", 2);
    assertThat(join(client.uplink(INGEST_TOKEN, uplink)).statusCode()).isEqualTo(202);
    var second = stored(devEui + "-00000002");
    assertThat(second.getJsonArray("measurements").getJsonObject(0).getDouble("value")).isEqualTo(5.0);
  }

  @Test
  @DisplayName("an uplink without the integration secret is refused with 401 and a JSON reason")
  void ingestionNeedsTheSecret() throws Exception {
    var refused = join(client.http.post("/uplinks/chirpstack").addQueryParam("event", "up")
        .sendJsonObject(PlatformClient.fixture("chirpstack-v4.uplink.json")));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
  }

  @Test
  @DisplayName("readiness is 200 once Redis, Elasticsearch and the services are reachable, and metrics are Prometheus text")
  void healthAndMetrics() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> join(client.http.get("/health/ready").send()).statusCode() == 200);
    var ready = join(client.http.get("/health/ready").send());
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("outcome")).isEqualTo("UP");
    var metrics = join(client.http.get("/metrics").send());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString()).contains("# TYPE").contains("vertx_http_server_requests");
  }

  @Test
  @DisplayName("a new device costs at most one registry lookup per service that needs it (gateway door check, decoder), "
      + "none by the enrichment; once it is known, 20 more of its uplinks are all stored without a single registry request")
  void warmDeviceCostsNoRegistryRequest() throws Exception {
    var devEui = "0505050505050505";
    var token = join(client.token("admin", ADMIN_PASSWORD));
    assertThat(join(client.put(token, "/api/v1/device-types/lookups-probe", new JsonObject().put("name", "Lookups probe")
        .put("codec", new JsonObject().put("kind", "cayenne-lpp")))).statusCode()).isIn(200, 201);
    assertThat(join(client.post(token, "/api/v1/devices", new JsonObject().put("devEui", devEui).put("name", "Lookups probe")
        .put("nodeId", "default").put("type", "lookups-probe")
        .put("activation", new JsonObject().put("mode", "network-decrypted")))).statusCode()).isEqualTo(201);
    // every message the services send goes through this interceptor: count the requests about this device to
    // registry.* addresses (uplinks of earlier tests may still be on their way)
    var registryRequests = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> counting = delivery -> {
      var message = delivery.message();
      if (message.isSend() && message.address().startsWith("registry.") && message.body() instanceof JsonObject body
          && devEui.equals(body.getString("devEui"))) {
        registryRequests.merge(message.address(), 1, Integer::sum);
      }
      delivery.next();
    };
    var before = deviceContextLookups();
    platform.vertx().eventBus().addOutboundInterceptor(counting);
    try {
      var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");   // 01 67 00 eb = 23.5 °C
      uplink.getJsonObject("deviceInfo").put("devEui", devEui);
      assertThat(join(client.uplink(INGEST_TOKEN, uplink.copy().put("fCnt", 1))).statusCode()).isEqualTo(202);
      stored(devEui + "-00000001");
      assertThat(registryRequests).as("the first uplink: device contexts only").containsOnlyKeys("registry.device.context");
      assertThat(registryRequests.get("registry.device.context")).as("the first uplink: the gateway's door check and the decoder")
          .isBetween(1, 2);
      var after = deviceContextLookups();
      assertThat(after.getOrDefault("gateway", 0.0) - before.getOrDefault("gateway", 0.0)).as("gateway lookups").isLessThanOrEqualTo(1);
      assertThat(after.getOrDefault("decoder", 0.0) - before.getOrDefault("decoder", 0.0)).as("decoder lookups").isLessThanOrEqualTo(1);
      assertThat(after.getOrDefault("enrichment", 0.0) - before.getOrDefault("enrichment", 0.0)).as("enrichment lookups").isZero();
      registryRequests.clear();

      var accepted = new java.util.ArrayList<Future<Integer>>();
      for (int fCnt = 2; fCnt <= 21; fCnt++) {
        accepted.add(client.uplink(INGEST_TOKEN, uplink.copy().put("fCnt", fCnt)).map(response -> response.statusCode()));
      }
      assertThat(join(Future.all(accepted)).<Integer>list()).hasSize(20).containsOnly(202);
      var ids = java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(fCnt -> devEui + "-" + String.format("%08x", fCnt))
          .toArray(String[]::new);
      await().atMost(Duration.ofSeconds(60)).until(() -> total(storedDocuments(ids)) == 21);
      assertThat(registryRequests).as("registry requests after the warm-up, once all are stored").isEmpty();
    } finally {
      platform.vertx().eventBus().removeOutboundInterceptor(counting);
    }
  }

  /** Registry requests for device contexts so far, by service (the registry-client's misses). */
  private Map<String, Double> deviceContextLookups() throws Exception {
    var metrics = join(client.http.get("/metrics").send()).bodyAsString();
    var byService = new java.util.HashMap<String, Double>();
    metrics.lines().filter(l -> l.startsWith("vigie_registry_cache_misses_total{") && l.contains("cache=\"device-context\""))
        .forEach(l -> {
          var service = l.replaceAll(".*service=\"([^\"]*)\".*", "$1");
          byService.merge(service, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
        });
    return byService;
  }

  /** The device's uplinks as {@code GET /api/v1/devices/{devEui}/uplinks} shows them, newest first: "id=status". */
  private List<String> fates(String token, String devEui) throws Exception {
    var answer = join(client.http.get("/api/v1/devices/" + devEui + "/uplinks").bearerTokenAuthentication(token).send());
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject().getJsonArray("uplinks").stream()
        .map(u -> ((JsonObject) u).getString("id") + "=" + ((JsonObject) u).getString("status")).toList();
  }

  @Test
  @DisplayName("the simulator's failing fridge: its slow warm drift opens one alert, which escalates, is acknowledged through the API, and clears by itself once the fridge is repaired")
  void failingFridgeAlert() throws Exception {
    // probe 707: every 7th fridge of the simulator's fleet is failing, about +0.4 °C per reading from 4 °C
    var baseUrl = "http://127.0.0.1:" + platform.port();
    var fleet = new Fleet(clientVertx, baseUrl, INGEST_TOKEN, FleetOptions.defaults().withFirstDevice(707).withFirstFCnt(1));
    join(fleet.register("admin", ADMIN_PASSWORD, 1));
    var probe = fleet.probes().get(0);
    var token = join(client.token("admin", ADMIN_PASSWORD));
    // the tenant's defaults, on the fridge (another test here changes the root's): above 8 °C for 15 minutes, major,
    // critical after an hour; no no-data rule, since the readings are hours of the probe's own time, in the past
    var rule = new JsonObject().put("nodeId", probe.fridgeId()).put("name", "default-temperature-above").put("kind", "above")
        .put("measurement", "temperature").put("threshold", 8.0).put("for", "PT15M").put("severity", "major")
        .put("escalate", new JsonArray().add(new JsonObject().put("after", "PT1H").put("severity", "critical")));
    assertThat(join(client.put(token, "/api/v1/alert-rules/fridge-cold-chain", rule)).statusCode()).isEqualTo(201);
    var quiet = new JsonObject().put("nodeId", probe.fridgeId()).put("name", "default-no-data").put("kind", "no-data")
        .put("for", "PT1H").put("severity", "minor").put("enabled", false);
    assertThat(join(client.put(token, "/api/v1/alert-rules/fridge-quiet", quiet)).statusCode()).isEqualTo(201);
    var sender = WebhookSender.chirpStack(clientVertx, baseUrl, INGEST_TOKEN);
    var time = new Instant[] {Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES)};
    Runnable reading = () -> {
      var frame = probe.nextFrame(time[0], Gateways.of(1).receptions());
      time[0] = time[0].plus(Duration.ofMinutes(10));
      assertThat(sender.send(frame).await().kind()).isEqualTo(Outcome.Kind.ACKED);
    };

    for (int i = 0; i < 24; i++) reading.run();
    var alert = await().atMost(Duration.ofSeconds(60)).until(() -> fridgeAlerts(baseUrl, token, probe.fridgeId()),
        list -> list.size() == 1 && "critical".equals(list.get(0).getString("severity"))).get(0);
    assertThat(alert.getString("status")).isEqualTo("active");
    assertThat(Duration.between(Instant.parse(alert.getString("since")), Instant.parse(alert.getString("startedAt"))))
        .as("open once above 8 °C for 15 minutes").isBetween(Duration.ofMinutes(15), Duration.ofMinutes(25));
    var acked = join(client.post(token, "/api/v1/alerts/" + alert.getString("id") + "/ack",
        new JsonObject().put("comment", "technician called")));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject().getString("status")).isEqualTo("acknowledged");
    // a page opening now starts with the open alert of its site, whole, before any push
    var snapshot = alertSnapshot(token, "alerts.node." + probe.siteId());
    assertThat(snapshot.getBoolean("complete")).isTrue();
    assertThat(snapshot.getJsonArray("body").stream().map(JsonObject.class::cast)
        .filter(a -> alert.getString("id").equals(a.getString("id"))).toList())
        .singleElement().satisfies(open -> {
          assertThat(open.getString("status")).isEqualTo("acknowledged");
          assertThat(open.getString("severity")).isEqualTo("critical");
          assertThat(open.getString("devEui")).isEqualTo(probe.devEui());
        });

    probe.repairFridge();
    for (int i = 0; i < 6; i++) reading.run();
    var cleared = await().atMost(Duration.ofSeconds(60)).until(() -> fridgeAlerts(baseUrl, token, probe.fridgeId()),
        list -> list.size() == 1 && "cleared".equals(list.get(0).getString("status"))).get(0);
    assertThat(cleared.getString("id")).as("still the one alert").isEqualTo(alert.getString("id"));
    assertThat(cleared.getString("clearedBy")).isEqualTo("system");
    assertThat(cleared.getString("ackedBy")).isEqualTo("admin");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(api(baseUrl, "/api/v1/alerts/" + alert.getString("id")
        + "/history", token).getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("transition")))
        .containsExactly("opened", "escalated", "acknowledged", "cleared"));
  }

  /** The snapshot a {@code /ws} client gets when it registers {@code address}. */
  private static JsonObject alertSnapshot(String token, String address) throws Exception {
    var frames = new LinkedBlockingQueue<JsonObject>();
    var ws = clientVertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(platform.port()).setURI("/ws?access_token=" + token)).await(30, TimeUnit.SECONDS);
    try {
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode()).await(10, TimeUnit.SECONDS);
      var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        var frame = frames.poll(1, TimeUnit.SECONDS);
        if (frame == null) continue;
        assertThat(frame.getString("type")).as(frame.encode()).isIn("snapshot", "authenticated");
        if ("snapshot".equals(frame.getString("type"))) return frame;
      }
      throw new AssertionError("no snapshot for " + address + " within 30 s");
    } finally {
      ws.close();
    }
  }

  /** The alerts of the fridge-cold-chain rule on a fridge. */
  private static List<JsonObject> fridgeAlerts(String baseUrl, String token, String fridgeId) throws Exception {
    return api(baseUrl, "/api/v1/alerts?nodeId=" + fridgeId, token).getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .filter(a -> "fridge-cold-chain".equals(a.getString("ruleId"))).toList();
  }

  private static JsonObject api(String baseUrl, String path, String token) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token).build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static int total(JsonObject search) {
    return search.getJsonObject("hits").getJsonObject("total").getInteger("value");
  }

  private void waitForSubscriptions(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> subscriptions() >= count);
  }

  private double subscriptions() throws Exception {
    var metrics = join(client.http.get("/metrics").send()).bodyAsString();
    return metrics.lines().filter(l -> l.startsWith("vigie_realtime_subscriptions_total") && l.contains("outcome=\"allowed\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static JsonObject device(String devEui, JsonObject activation) {
    return new JsonObject().put("devEui", devEui).put("name", "Probe " + devEui.substring(0, 2)).put("nodeId", "default")
        .put("type", "lpp-probe").put("activation", activation);
  }

  private static JsonObject chirpStack(String devEui, long fCnt, String payloadHex) {
    var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
    uplink.getJsonObject("deviceInfo").put("devEui", devEui);
    return uplink.put("fCnt", fCnt).put("data", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(payloadHex)));
  }

  private static void created(Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> response) throws Exception {
    var answer = join(response);
    assertThat(answer.statusCode() / 100).as(answer.bodyAsString()).isEqualTo(2);
  }

  /** The stored document of an uplink, once stored (the 202 comes before: it says the uplink is in the ingest log). */
  private JsonObject stored(String id) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> total(storedDocuments(id)) >= 1);
    var hits = storedDocuments(id).getJsonObject("hits").getJsonArray("hits");
    assertThat(hits).as("document " + id).hasSize(1);
    return hits.getJsonObject(0).getJsonObject("_source");
  }

  private static JsonObject es(String method, String path, JsonObject body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(esUrl + path)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    var response = ShardReady.send(HTTP, request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private JsonObject storedDocuments(String... ids) throws Exception {
    es("POST", "/" + INDEX_PREFIX + "-*/_refresh", null);
    return es("POST", "/" + INDEX_PREFIX + "-*/_search", new JsonObject().put("query", new JsonObject()
        .put("ids", new JsonObject().put("values", new JsonArray(List.of(ids))))));
  }
}
