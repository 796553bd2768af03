package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import io.vigie.testing.infra.EmbeddedElasticsearch;
import io.vigie.testing.infra.EmbeddedMqttBroker;
import io.vigie.testing.infra.EmbeddedRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a network server says about an uplink reaches Elasticsearch, through public interfaces only: the sensor
 * channels of a Cayenne LPP frame, the radio settings (frequency, data rate, spreading factor, ADR, confirmed), and
 * a warning when the source contradicts the device's activation mode.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("Uplink metadata, end to end")
class UplinkMetadataTest {
  static final String INGEST_TOKEN = "metadata-ingest-secret";
  static final String ADMIN_PASSWORD = "metadata-admin-password";
  static final String INDEX_PREFIX = "metadata-measurements";
  static final String TWO_PROBES = "0a0a0a0a0a0a0a0a";
  static final String ABP = "0b0b0b0b0b0b0b0b";
  static final String NETWORK = "0c0c0c0c0c0c0c0c";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static Platform platform;
  static Vertx clientVertx;
  static PlatformClient client;
  static String esUrl;
  static String token;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    esUrl = elasticsearch.url();
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-metadata").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/5"))   // one Redis database per test class of this module
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", INDEX_PREFIX))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-metadata-test"))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    clientVertx = Vertx.vertx();
    client = new PlatformClient(clientVertx, platform.port());
    token = join(client.token("admin", ADMIN_PASSWORD));
    created(client.put(token, "/api/v1/device-types/lpp-probe", new JsonObject().put("name", "LPP probe")
        .put("codec", new JsonObject().put("kind", "cayenne-lpp"))));
    created(client.post(token, "/api/v1/devices", device(TWO_PROBES, new JsonObject().put("mode", "network-decrypted"))));
    created(client.post(token, "/api/v1/devices", device(ABP, new JsonObject().put("mode", "ABP").put("devAddr", "00189440")
        .put("appSKey", "2b7e151628aed2a6abf7158809cf4f3c").put("nwkSKey", "000102030405060708090a0b0c0d0e0f"))));
    created(client.post(token, "/api/v1/devices", device(NETWORK, new JsonObject().put("mode", "network-decrypted"))));
  }

  @AfterAll
  static void stop() {
    if (clientVertx != null) clientVertx.close();
    if (platform != null) platform.close();
  }

  @Test
  @DisplayName("two LPP temperatures are stored as temperature on channels 1 and 2, with the radio settings, indexed and readable by channel")
  void channelsAndRadioSettings() throws Exception {
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

  private static JsonObject device(String devEui, JsonObject activation) {
    return new JsonObject().put("devEui", devEui).put("name", "Probe " + devEui.substring(0, 2)).put("nodeId", "default")
        .put("type", "lpp-probe").put("activation", activation);
  }

  private static JsonObject chirpStack(String devEui, long fCnt, String payloadHex) {
    var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
    uplink.getJsonObject("deviceInfo").put("devEui", devEui);
    return uplink.put("fCnt", fCnt).put("data", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(payloadHex)));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void created(Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> response) throws Exception {
    var answer = join(response);
    assertThat(answer.statusCode() / 100).as(answer.bodyAsString()).isEqualTo(2);
  }

  /** The stored document of an uplink, once Elasticsearch has it. */
  private static JsonObject stored(String id) throws Exception {
    var byId = new JsonObject().put("query", new JsonObject().put("ids", new JsonObject().put("values", new JsonArray().add(id))));
    var found = new JsonObject[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      es("POST", "/" + INDEX_PREFIX + "-*/_refresh", null);
      var hits = es("POST", "/" + INDEX_PREFIX + "-*/_search", byId).getJsonObject("hits").getJsonArray("hits");
      if (hits.isEmpty()) return false;
      found[0] = hits.getJsonObject(0).getJsonObject("_source");
      return true;
    });
    return found[0];
  }

  private static JsonObject es(String method, String path, JsonObject body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(esUrl + path)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    var response = HTTP.send(request, BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }
}
