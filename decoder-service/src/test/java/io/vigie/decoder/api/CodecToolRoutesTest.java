package io.vigie.decoder.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.decoder.DecoderService;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The codec playground over HTTP and the codec examples over the bus, on the decoder launched alone. */
@RealRedis
@DisplayName("Codec tools")
class CodecToolRoutesTest {
  static final String VENDOR_CODEC = """
      function decodeUplink(input) {
        var raw = input.bytes[0] << 8 | input.bytes[1];
        return { data: { TempF: (raw & 0x8000 ? raw - 0x10000 : raw) / 10, vdd: input.bytes[2] * 20, door: input.bytes[3] === 1 },
                 warnings: input.fPort === 2 ? [] : ['unexpected fPort ' + input.fPort] };
      }
      """;

  static ServiceLauncher.Running running;
  static TestTokens tokens;
  static WebClient http;

  @BeforeAll
  static void launch(EmbeddedRedis redis) throws Exception {
    var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", redis.url()))
        // generous: a busy machine must not turn a good codec into a timeout
        .put("decoder", new JsonObject().put("codecTimeoutMs", 3000));
    running = ServiceLauncher.launch(List.of(new DecoderService()), Map.of(), overrides).await(60, SECONDS);
    tokens = TestTokens.create(running.vertx()).serveJwks(running.vertx());
    http = WebClient.create(running.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) running.stop().await(30, SECONDS);
  }

  static HttpResponse<Buffer> post(Role role, JsonObject body) throws Exception {
    var token = tokens.token(new VigiePrincipal("someone", "acme", role, List.of("acme")));
    return http.post(CodecToolRoutes.PATH).bearerTokenAuthentication(token).sendJsonObject(body).await(30, SECONDS);
  }

  @Test
  @DisplayName("a vendor-style JavaScript codec: its data, canonical measurements converted from °F and mV, its warnings")
  void javascript() throws Exception {
    var response = post(Role.OPERATOR, new JsonObject()
        .put("codec", new JsonObject().put("kind", "javascript").put("script", VENDOR_CODEC))
        .put("fPort", 3).put("payloadHex", "0188a501"));   // 39.2 °F, 3300 mV, door open

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    var body = response.bodyAsJsonObject();
    assertThat(body.getJsonObject("data").getMap()).containsEntry("TempF", 39.2).containsEntry("vdd", 3300)
        .containsEntry("door", true);
    assertThat(body.getJsonArray("measurements").stream().map(m -> ((JsonObject) m).getString("name")
        + "=" + Math.round(((JsonObject) m).getDouble("value") * 1000) / 1000.0 + " " + ((JsonObject) m).getString("unit")).toList())
        .containsExactlyInAnyOrder("temperature=4.0 Cel", "battery=3.3 V");
    assertThat(body.getJsonArray("warnings").getList()).contains("unexpected fPort 3");
    assertThat(body.getJsonArray("errors")).isEmpty();
  }

  @Test
  @DisplayName("Cayenne LPP uses TTN's naming in data, and two temperatures are two measurements on their channels; a truncated frame is an error, not a failure")
  void lpp() throws Exception {
    var ok = post(Role.ADMIN, new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("fPort", 1).put("payloadHex", "016700eb02686e")).bodyAsJsonObject();
    assertThat(ok.getJsonObject("data").getMap()).containsEntry("temperature_1", 23.5).containsEntry("relative_humidity_2", 55.0);
    assertThat(ok.getJsonArray("measurements")).hasSize(2);
    var two = post(Role.ADMIN, new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("fPort", 1).put("payloadHex", "016700eb026700d2")).bodyAsJsonObject();
    assertThat(two.getJsonArray("measurements")).containsExactly(
        new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", 23.5).put("channel", 1),
        new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", 21.0).put("channel", 2));
    var truncated = post(Role.ADMIN, new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("payloadHex", "016700"));
    assertThat(truncated.statusCode()).isEqualTo(200);
    assertThat(truncated.bodyAsJsonObject().getJsonArray("errors").getString(0)).contains("truncated");
  }

  @Test
  @DisplayName("a looping script answers an error in about its time limit; viewers may not use the playground; bad input is 400")
  void refusals() throws Exception {
    var loop = post(Role.OPERATOR, new JsonObject().put("codec", new JsonObject().put("kind", "javascript")
        .put("script", "function decodeUplink() { for (;;) {} }")).put("payloadHex", "00"));
    assertThat(loop.bodyAsJsonObject().getJsonArray("errors").getString(0)).contains("ran longer than");
    assertThat(post(Role.VIEWER, new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("payloadHex", "00")).statusCode()).isEqualTo(403);
    assertThat(post(Role.ADMIN, new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp"))
        .put("payloadHex", "zz")).statusCode()).isEqualTo(400);
    assertThat(post(Role.ADMIN, new JsonObject().put("payloadHex", "00")).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("codec examples run over the bus: passing ones pass, a wrong expectation fails with the actual output")
  void examples() throws Exception {
    var examples = new JsonArray()
        .add(new JsonObject().put("description", "39.2 °F").put("input", new JsonObject().put("fPort", 2)
            .put("bytes", new JsonArray(List.of(1, 136, 165, 1))))
            .put("output", new JsonObject().put("data", new JsonObject().put("TempF", 39.2).put("vdd", 3300).put("door", true))))
        .add(new JsonObject().put("input", new JsonObject().put("fPort", 2).put("bytes", new JsonArray(List.of(0, 0, 0, 0))))
            .put("output", new JsonObject().put("data", new JsonObject().put("TempF", 1).put("vdd", 0).put("door", false))));
    var reply = running.vertx().eventBus().<JsonObject>request(Addresses.DECODER_CODEC_TEST, new JsonObject()
        .put("codec", new JsonObject().put("kind", "javascript").put("script", VENDOR_CODEC))
        .put("examples", examples)).await(30, SECONDS).body();
    assertThat(reply.getBoolean("passed")).isFalse();
    assertThat(reply.getJsonArray("results").getJsonObject(0).getBoolean("passed")).isTrue();
    var failed = reply.getJsonArray("results").getJsonObject(1);
    assertThat(failed.getBoolean("passed")).isFalse();
    assertThat(failed.getJsonObject("actual").getJsonObject("data").getValue("TempF")).isEqualTo(0);
  }
}
