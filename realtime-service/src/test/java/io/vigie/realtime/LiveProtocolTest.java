package io.vigie.realtime;

import static io.vigie.realtime.LiveFixture.LYON_PATH;
import static io.vigie.realtime.LiveFixture.LYON_PROBE;
import static io.vigie.realtime.LiveFixture.PARIS_PATH;
import static io.vigie.realtime.LiveFixture.PARIS_PROBE;
import static io.vigie.realtime.LiveFixture.alert;
import static io.vigie.realtime.LiveFixture.measurement;
import static io.vigie.realtime.LiveFixture.principal;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The live protocol, on /ws and on SockJS")
class LiveProtocolTest {
  private static final int QUEUE = 8;
  @AutoClose
  private static LiveFixture live;

  @BeforeAll
  static void launch() throws Exception {
    live = LiveFixture.launch(new JsonObject().put("realtime", new JsonObject()
        .put("queueSize", QUEUE).put("heartbeat", 500).put("idleTimeout", 3000).put("authTimeout", 3000)));
  }


  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("refuses a Lyon user every form of Paris address, wildcard and spelling trick, and delivers Lyon only")
  void scopesOnEveryForm(String path) throws Exception {
    var lyonViewer = live.token(Role.VIEWER, "site-lyon");
    var attempts = List.of("telemetry.node.site-paris", "telemetry.node.kitchen-1", "telemetry.device." + PARIS_PROBE,
        "alerts.node.site-paris", "alerts.node.kitchen-1", "alerts.node.acme", "telemetry.node.acme",
        "telemetry.node.site-paris.*", "telemetry.node.*", "telemetry.node.#", "telemetry.device.*", "alerts.node.*",
        "telemetry.node.site-lyon.*", "telemetry.node.site-lyon/../site-paris", "telemetry.node.SITE-PARIS",
        " telemetry.node.site-paris", "telemetry.node.site-paris ", "telemetry.node.site-paris\n", "TELEMETRY.NODE.site-lyon",
        "telemetry.device.70B3D57ED005A1B2", "telemetry.device.70b3d57e-d005-a1b2", "telemetry.node.", "telemetry.", "");
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.auth(lyonViewer);
      client.next(f -> "authenticated".equals(f.getString("type")), "authenticated");
      for (var address : attempts) client.registerRefused(address);
      client.subscribe("telemetry.node.site-lyon", lyonViewer);

      live.publishMeasurement(measurement(PARIS_PROBE, PARIS_PATH));
      live.publishAlert(alert(PARIS_PROBE, PARIS_PATH));
      var lyon = measurement(LYON_PROBE, LYON_PATH);
      live.publishMeasurement(lyon);
      client.nextOf("rec", "telemetry.node.site-lyon");

      assertThat(client.received()).singleElement().satisfies(f -> assertThat(f.getJsonObject("body")).isEqualTo(lyon));
      assertThat(client.frames).filteredOn(f -> "snapshot".equals(f.getString("type")))
          .extracting(f -> f.getString("address")).containsExactly("telemetry.node.site-lyon");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("refuses what a client sends other than its own protocol messages, and forwards none of it")
  void refusesSends(String path) throws Exception {
    var parisViewer = live.token(Role.VIEWER, "site-paris");
    var address = "telemetry.device." + PARIS_PROBE;
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.subscribe(address, parisViewer);
      var forged = new JsonObject().put("devEui", PARIS_PROBE).put("forged", true);
      for (var type : List.of("send", "publish")) {
        client.send(new JsonObject().put("type", type).put("address", address).put("body", forged));
        client.expectError("access_denied");
      }
      client.send(new JsonObject().put("type", "publish").put("address", "registry.jwks").put("body", new JsonObject()));
      client.expectError("access_denied");
      client.sendText("{not json");
      client.expectError("invalid_json");
      client.send(new JsonObject().put("type", "subscribe").put("address", address));
      client.expectError("invalid_type");
      client.send(new JsonObject().put("type", "register"));
      client.expectError("missing_address");
      client.send(new JsonObject().put("type", "register").put("address", 42));
      client.expectError("invalid_json");

      var genuine = measurement(PARIS_PROBE, PARIS_PATH);
      live.publishMeasurement(genuine);
      client.nextOf("rec", address);
      assertThat(client.received()).singleElement().satisfies(f -> assertThat(f.getJsonObject("body")).isEqualTo(genuine));
    }
  }

  @Test
  @DisplayName("/ws takes the token at connect, in an Authorization header or an access_token parameter")
  void authenticatesAtConnect() throws Exception {
    var parisViewer = live.token(Role.VIEWER, "site-paris");
    var byHeader = new WebSocketConnectOptions().setPort(live.port()).setHost("127.0.0.1").setURI("/ws")
        .addHeader("Authorization", "Bearer " + parisViewer);
    try (var client = LiveTestClient.connect(live.vertx, byHeader);
         var other = LiveTestClient.connect(live.vertx, live.port(), "/ws?access_token=" + parisViewer)) {
      for (var c : List.of(client, other)) {
        c.register("telemetry.node.site-paris");
        c.nextOf("snapshot", "telemetry.node.site-paris");
        c.registerRefused("telemetry.node.site-lyon");
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("closes with 4401 a connection whose token is bad at connect, or that never authenticates")
  void closesUnauthenticated(String path) throws Exception {
    var foreign = io.vigie.common.auth.TestTokens.create(live.vertx).token(principal(Role.ADMIN, "acme"));
    try (var forged = LiveTestClient.connect(live.vertx, live.port(), path + "?access_token=" + foreign);
         var silent = LiveTestClient.connect(live.vertx, live.port(), path)) {
      forged.expectError("auth_failed");
      assertThat(forged.closed().await(10, SECONDS)).isEqualTo((short) 4401);
      silent.register("telemetry.node.site-paris");
      silent.expectError("rejected");
      assertThat(silent.closed().await(10, SECONDS)).isEqualTo((short) 4401);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("takes the token in an auth message, and refuses another user's token on the same connection")
  void authenticatesByMessage(String path) throws Exception {
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.register("telemetry.node.site-paris");
      client.expectError("rejected");

      client.auth(live.token(Role.OPERATOR, "site-paris"));
      var authenticated = client.next(f -> "authenticated".equals(f.getString("type")), "authenticated");
      assertThat(Instant.parse(authenticated.getString("expiresAt"))).isAfter(Instant.now());
      client.register("telemetry.node.site-paris");
      assertThat(client.nextOf("snapshot", "telemetry.node.site-paris").getBoolean("complete")).isFalse();

      client.auth(live.token(Role.ADMIN, "acme"));
      client.expectError("auth_failed");
      client.registerRefused("telemetry.node.acme");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("closes the connection with 4401 when its token expires, after an err frame token_expired")
  void closesOnExpiry(String path) throws Exception {
    var shortLived = live.tokens.token(principal(Role.VIEWER, "site-paris"), 2);
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.subscribe("telemetry.node.site-paris", shortLived);

      assertThat(client.closed().await(10, SECONDS)).isEqualTo((short) 4401);
      assertThat(client.errors()).last().satisfies(f -> assertThat(f.getString("body")).isEqualTo("token_expired"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("keeps a connection whose client sent a fresh token before expiry, and ends what the new grants exclude")
  void renewsBeforeExpiry(String path) throws Exception {
    var user = principal(Role.VIEWER, "site-paris", "site-lyon");
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.auth(live.tokens.token(user, 2));
      client.subscribe("telemetry.node.site-paris", live.tokens.token(user, 2));
      client.subscribe("telemetry.node.site-lyon", live.tokens.token(user, 2));

      // the same user, now with Paris only
      client.auth(live.tokens.token(new VigiePrincipal(user.subject(), user.tenant(), user.role(), List.of("site-paris"))));
      var revoked = client.nextError();
      assertThat(revoked.getString("body")).isEqualTo("rejected");
      assertThat(revoked.getString("address")).isEqualTo("telemetry.node.site-lyon");
      live.vertx.timer(3, SECONDS).await(10, SECONDS);   // past the first token's expiry

      var paris = measurement(PARIS_PROBE, PARIS_PATH);
      live.publishMeasurement(measurement(LYON_PROBE, LYON_PATH));
      live.publishMeasurement(paris);
      client.nextOf("rec", "telemetry.node.site-paris");
      assertThat(client.closed().succeeded()).isFalse();
      assertThat(client.received()).singleElement().satisfies(f -> assertThat(f.getJsonObject("body")).isEqualTo(paris));
    }
  }

  @Test
  @DisplayName("answers a /ws ping with a pong, and closes with 4408 a SockJS client that stopped pinging")
  void heartbeats() throws Exception {
    var options = new WebSocketConnectOptions().setPort(live.port()).setHost("127.0.0.1").setURI(LiveTestClient.SOCKJS);
    try (var ws = LiveTestClient.connect(live.vertx, live.port(), "/ws");
         var quiet = LiveTestClient.connect(live.vertx, options, false)) {
      ws.auth(live.token(Role.VIEWER, "site-paris"));
      ws.send(new JsonObject().put("type", "ping"));
      ws.next(f -> "pong".equals(f.getString("type")), "pong");
      quiet.auth(live.token(Role.VIEWER, "site-paris"));

      assertThat(quiet.closed().await(10, SECONDS)).isEqualTo((short) 4408);
      assertThat(ws.closed().isComplete()).isFalse();
    }
  }

  @Test
  @DisplayName("drops the oldest pushes of a client that stops reading, tells it how many, and never slows the others")
  void dropsForSlowClients() throws Exception {
    var token = live.token(Role.VIEWER, "site-paris");
    var address = "telemetry.node.site-paris";
    var count = 400;
    try (var fast = LiveTestClient.connect(live.vertx, live.port(), "/ws");
         var slow = new StalledWebSocketClient(live.port())) {
      fast.subscribe(address, token);
      slow.send(new JsonObject().put("type", "register").put("address", address)
          .put("headers", new JsonObject().put("Authorization", "Bearer " + token)));
      slow.readUntil(f -> "snapshot".equals(f.getString("type")));

      var padding = "x".repeat(50_000);   // 400 pushes of 50 kB: far more than the socket buffers hold
      long last = 0;
      for (int i = 0; i < count; i++) {   // each push reaches the reading client while the other one lags further
        var measurement = measurement(PARIS_PROBE, PARIS_PATH);
        measurement.getJsonObject("decoded").put("padding", padding);
        long fCnt = measurement.getLong("fCnt");
        live.publishMeasurement(measurement);
        fast.next(f -> "rec".equals(f.getString("type")) && f.getJsonObject("body").getLong("fCnt") == fCnt, "push " + fCnt, 5);
        last = fCnt;
      }
      var lastFCnt = last;
      assertThat(fast.received()).hasSize(count);
      assertThat(fast.errors()).isEmpty();

      var read = slow.readUntil(f -> "rec".equals(f.getString("type")) && f.getJsonObject("body").getLong("fCnt") == lastFCnt);
      var dropped = read.stream().filter(f -> "dropped".equals(f.getValue("body"))).mapToLong(f -> f.getLong("count")).sum();
      var received = read.stream().filter(f -> "rec".equals(f.getString("type"))).count();
      assertThat(dropped).isPositive();
      assertThat(received + dropped).isEqualTo(count);
      assertThat(live.running.meters().scrape()).containsPattern("vigie_realtime_pushes_total\\{outcome=\"dropped\"[^}]*} [1-9]");
    }
  }
}
