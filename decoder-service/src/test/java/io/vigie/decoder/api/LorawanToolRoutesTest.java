package io.vigie.decoder.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.decoder.DecoderService;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The frame debugger over HTTP, on the decoder launched alone (port 0), with tokens from test keys. */
@RealRedis
@DisplayName("POST /api/v1/tools/lorawan/decode")
class LorawanToolRoutesTest {
  private static final JsonObject UPLINKS = load("/vectors/lorawan-uplinks-public.json");
  private static final JsonObject DOWNLINKS = load("/vectors/lorawan-downlinks-public.json");
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  private static Level rootLevel;
  private static ServiceLauncher.Running running;
  private static TestTokens tokens;
  private static WebClient http;

  @BeforeAll
  static void launch(EmbeddedRedis redis) throws Exception {
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    LOGS.start();
    root.addAppender(LOGS);
    var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", redis.url()));
    running = ServiceLauncher.launch(List.of(new DecoderService()), Map.of(), overrides).await(60, SECONDS);
    tokens = TestTokens.create(running.vertx()).serveJwks(running.vertx());
    http = WebClient.create(running.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(LOGS);
    root.setLevel(rootLevel);
    if (running != null) running.stop().await(30, SECONDS);
    var keys = UPLINKS.getJsonArray("vectors").stream().map(JsonObject.class::cast)
        .flatMap(v -> java.util.stream.Stream.of(v.getString("appSKeyHex"), v.getString("nwkSKeyHex"))).toList();
    assertThat(LOGS.list).as("no session key in any log line, at DEBUG").allSatisfy(event -> {
      var line = event.getFormattedMessage().toLowerCase();
      keys.forEach(key -> assertThat(line).doesNotContain(key));
    });
  }

  @Test
  @DisplayName("an operator gets the fields, a valid MIC and the plaintext of an uplink with FOpts and a 32-bit counter")
  void operator() throws Exception {
    var vector = vector(UPLINKS, "up-pub-0003");

    var response = post(role(Role.OPERATOR), request(vector).put("fCnt", vector.getLong("fCnt")));

    assertThat(response.statusCode()).isEqualTo(200);
    var body = response.bodyAsJsonObject();
    assertThat(body.getString("mtype")).isEqualTo("UnconfirmedDataUp");
    assertThat(body.getString("devAddr")).isEqualTo("26a704b4");
    assertThat(body.getLong("fCnt")).isEqualTo(3364605505L);
    assertThat(body.getInteger("fCnt16")).isEqualTo(52801);
    assertThat(body.getInteger("fPort")).isEqualTo(162);
    assertThat(body.getString("fOpts")).isEqualTo("020d0650400d09");
    assertThat(body.getBoolean("adr")).isTrue();
    assertThat(body.getBoolean("ack")).isTrue();
    assertThat(body.getBoolean("micValid")).isTrue();
    assertThat(body.getString("mic")).isEqualTo(vector.getString("micHex"));
    assertThat(body.getString("frmPayload")).isEqualTo("627a6656a0921e9e2899");
    assertThat(body.encode()).doesNotContain(vector.getString("appSKeyHex")).doesNotContain(vector.getString("nwkSKeyHex"));
  }

  @Test
  @DisplayName("without fCnt the 16 wire bits are the counter: right below 65536, a failed MIC above")
  void withoutFCnt() throws Exception {
    var small = vector(UPLINKS, "up-pub-0001"); // fCnt 29483, FPort 0: decrypted with the NwkSKey
    var large = vector(UPLINKS, "up-pub-0003");

    var first = post(role(Role.ADMIN), request(small)).bodyAsJsonObject();
    var second = post(role(Role.ADMIN), request(large)).bodyAsJsonObject();

    assertThat(first.getBoolean("micValid")).isTrue();
    assertThat(first.getString("frmPayload")).isEqualTo(small.getString("frmPayloadPlainHex"));
    assertThat(second.getLong("fCnt")).isEqualTo(52801L);
    assertThat(second.getBoolean("micValid")).isFalse();
    assertThat(second.getString("micExpected")).isNotEqualTo(second.getString("mic"));
  }

  @Test
  @DisplayName("a forged vector (fcnt_msb_dropped) shows micValid false, and a downlink decodes with FPending")
  void invalidAndDownlink() throws Exception {
    var forged = UPLINKS.getJsonArray("vectors").stream().map(JsonObject.class::cast)
        .filter(v -> "fcnt_msb_dropped".equals(v.getString("invalidReason"))).findFirst().orElseThrow();
    var down = vector(DOWNLINKS, "down-pub-0001");

    var forgedBody = post(role(Role.ADMIN), request(forged).put("fCnt", forged.getLong("fCnt"))).bodyAsJsonObject();
    var downBody = post(role(Role.ADMIN), request(down).put("fCnt", down.getLong("fCnt"))).bodyAsJsonObject();

    assertThat(forgedBody.getBoolean("micValid")).isFalse();
    assertThat(forgedBody.getString("frmPayload")).isEqualTo(forged.getString("frmPayloadPlainHex"));
    assertThat(downBody.getString("mtype")).isEqualTo("UnconfirmedDataDown");
    assertThat(downBody.getString("direction")).isEqualTo("down");
    assertThat(downBody.getBoolean("fPending")).isEqualTo(down.getBoolean("fPending"));
    assertThat(downBody.getBoolean("micValid")).isTrue();
    assertThat(downBody.getString("frmPayload")).isEqualTo(down.getString("frmPayloadPlainHex"));
  }

  @Test
  @DisplayName("without keys the frame is still parsed: micValid and frmPayload are null")
  void noKeys() throws Exception {
    var body = post(role(Role.ADMIN), new JsonObject().put("phyPayload", vector(UPLINKS, "up-pub-0003").getString("phyPayloadHex")))
        .bodyAsJsonObject();

    assertThat(body.getString("devAddr")).isEqualTo("26a704b4");
    assertThat(body.containsKey("micValid")).isTrue();
    assertThat(body.getBoolean("micValid")).isNull();
    assertThat(body.getString("frmPayload")).isNull();
  }

  @Test
  @DisplayName("a frame that cannot be parsed is a 400 with the reason: join request, truncated, not hex")
  void unparsable() throws Exception {
    var join = post(role(Role.ADMIN), new JsonObject().put("phyPayload", "00" + "11".repeat(18) + "22334455"));
    var truncated = post(role(Role.ADMIN), new JsonObject().put("phyPayload", "4001020304"));
    var notHex = post(role(Role.ADMIN), new JsonObject().put("phyPayload", "not a frame"));

    assertThat(join.statusCode()).isEqualTo(400);
    assertThat(join.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(join.bodyAsJsonObject().getString("message")).startsWith("phyPayload cannot be parsed: this is a join request");
    assertThat(truncated.bodyAsJsonObject().getString("message")).contains("at least 12 bytes");
    assertThat(notHex.bodyAsJsonObject().getString("message")).contains("not hex");
  }

  @Test
  @DisplayName("bad requests are 400 naming the field, never echoing a key")
  void badRequests() throws Exception {
    var vector = vector(UPLINKS, "up-pub-0003");
    var badKey = "zz" + vector.getString("appSKeyHex").substring(2);

    var key = post(role(Role.ADMIN), request(vector).put("appSKey", badKey));
    var fCnt = post(role(Role.ADMIN), request(vector).put("fCnt", 7));
    var missing = post(role(Role.ADMIN), new JsonObject());
    var notJson = http.post(LorawanToolRoutes.PATH).bearerTokenAuthentication(role(Role.ADMIN))
        .sendBuffer(Buffer.buffer("[1,2")).await(10, SECONDS);

    assertThat(key.statusCode()).isEqualTo(400);
    assertThat(key.bodyAsJsonObject().getString("message")).isEqualTo("appSKey must be 32 hex digits (16 bytes)");
    assertThat(fCnt.bodyAsJsonObject().getString("message")).startsWith("fCnt 7 does not end with the frame's 16-bit counter 52801");
    assertThat(missing.bodyAsJsonObject().getString("message")).isEqualTo("phyPayload (the whole frame, hex) is required");
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a viewer gets 403, no token 401, and a body over 4 KiB 413")
  void access() throws Exception {
    var request = request(vector(UPLINKS, "up-pub-0003"));

    var viewer = post(role(Role.VIEWER), request);
    var partner = post(role(Role.PARTNER), request);
    var anonymous = http.post(LorawanToolRoutes.PATH).sendJsonObject(request).await(10, SECONDS);
    var huge = post(role(Role.ADMIN), request.copy().put("padding", "x".repeat(5000)));

    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(viewer.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    assertThat(partner.statusCode()).isEqualTo(403);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(huge.statusCode()).isEqualTo(413);
  }

  // ---------------------------------------------------------------- helpers

  private static HttpResponse<Buffer> post(String token, JsonObject body) throws Exception {
    return http.post(LorawanToolRoutes.PATH).bearerTokenAuthentication(token).sendJsonObject(body).await(10, SECONDS);
  }

  private static String role(Role role) {
    return tokens.token(new VigiePrincipal(role.wire() + "@acme", "acme", role, List.of("acme")));
  }

  private static JsonObject request(JsonObject vector) {
    return new JsonObject().put("phyPayload", vector.getString("phyPayloadHex"))
        .put("nwkSKey", vector.getString("nwkSKeyHex")).put("appSKey", vector.getString("appSKeyHex"));
  }

  private static JsonObject vector(JsonObject file, String id) {
    return file.getJsonArray("vectors").stream().map(JsonObject.class::cast)
        .filter(v -> id.equals(v.getString("id"))).findFirst().orElseThrow();
  }

  private static JsonObject load(String resource) {
    try (var in = LorawanToolRoutesTest.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
