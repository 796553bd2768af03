package io.vigie.realtime;

import static io.vigie.realtime.LiveFixture.LYON_PROBE;
import static io.vigie.realtime.LiveFixture.PARIS_PATH;
import static io.vigie.realtime.LiveFixture.PARIS_PROBE;
import static io.vigie.realtime.LiveFixture.measurement;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Floods on /ws and on the SockJS bridge")
class LiveFloodTest {
  private static final int MAX_SUBSCRIPTIONS = 5;
  private static final int RATE = 10;
  private static final int BURST = 30;
  private static final int MAX_CONNECTIONS = 12;
  @AutoClose
  private static LiveFixture live;

  @BeforeAll
  static void launch() throws Exception {
    live = LiveFixture.launch(new JsonObject()
        // a short request deadline: the WebSockets, which outlive it, must not be taken for slow requests
        .put("http", new JsonObject().put("maxConnections", MAX_CONNECTIONS).put("requestTimeout", 1500))
        .put("realtime", new JsonObject().put("maxSubscriptionsPerSocket", MAX_SUBSCRIPTIONS)
            .put("maxFramesPerSecond", RATE).put("frameBurst", BURST).put("snapshotTimeout", 500)));
  }

  static double counter(String name, String tag, String value) {
    var counter = live.running.meters().find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A well-behaved client subscribed to the Paris site, and what it must receive while another floods. */
  static LiveTestClient bystander() throws Exception {
    var client = LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.WS);
    client.subscribe("telemetry.node.site-paris", live.token(Role.VIEWER, "site-paris"));
    return client;
  }

  static void receivesItsPush(LiveTestClient bystander) throws InterruptedException {
    var push = measurement(PARIS_PROBE, PARIS_PATH);
    live.publishMeasurement(push);
    var fCnt = push.getLong("fCnt");
    bystander.next(f -> "rec".equals(f.getString("type")) && f.getJsonObject("body").getLong("fCnt").equals(fCnt), "push " + fCnt, 5);
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("refuses the subscriptions of one socket beyond its cap with err max_handlers_reached, counted, and keeps its first ones and another client's pushes")
  void manySubscriptions(String path) throws Exception {
    var token = live.token(Role.VIEWER, "acme");
    var addresses = List.of("telemetry.node.acme", "telemetry.node.site-paris", "telemetry.node.kitchen-1",
        "telemetry.node.site-lyon", "telemetry.device." + PARIS_PROBE, "telemetry.device." + LYON_PROBE,
        "alerts.node.acme", "alerts.node.site-paris", "alerts.node.kitchen-1", "alerts.node.site-lyon");
    var before = counter("vigie.realtime.subscriptions", "outcome", "over_limit");
    try (var watcher = bystander(); var greedy = LiveTestClient.connect(live.vertx, live.port(), path)) {
      greedy.auth(token);
      greedy.next(f -> "authenticated".equals(f.getString("type")), "authenticated");
      for (var address : addresses) greedy.register(address);
      var refused = new ArrayList<String>();
      for (int i = 0; i < addresses.size() - MAX_SUBSCRIPTIONS; i++) {
        refused.add(greedy.expectError("max_handlers_reached").getString("address"));
      }
      assertThat(refused).containsExactlyElementsOf(addresses.subList(MAX_SUBSCRIPTIONS, addresses.size()));
      assertThat(counter("vigie.realtime.subscriptions", "outcome", "over_limit")).isEqualTo(before + refused.size());

      receivesItsPush(watcher);
      greedy.nextOf("rec", "telemetry.node.site-paris");   // its first subscriptions still work
      assertThat(greedy.closed().isComplete()).isFalse();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("answers a socket sending frames faster than its rate with err rate_limited, closes it with 1008, counts it, and another client gets its pushes meanwhile")
  void frameFlood(String path) throws Exception {
    var before = counter("vigie.realtime.closes", "reason", "flood");
    try (var watcher = bystander(); var flooder = LiveTestClient.connect(live.vertx, live.port(), path)) {
      flooder.auth(live.token(Role.VIEWER, "site-paris"));
      for (int i = 0; i < BURST * 3 && !flooder.closed().isComplete(); i++) {
        flooder.send(new JsonObject().put("type", "register").put("address", "telemetry.node.site-paris"));
        if (i % 20 == 0) receivesItsPush(watcher);
      }
      flooder.expectError("rate_limited");
      assertThat(flooder.closed().await(10, SECONDS)).isEqualTo((short) 1008);
      assertThat(flooder.errors()).as("told once").filteredOn(e -> "rate_limited".equals(e.getValue("body"))).hasSize(1);
      assertThat(counter("vigie.realtime.closes", "reason", "flood")).isEqualTo(before + 1);
      receivesItsPush(watcher);
      assertThat(watcher.errors()).isEmpty();
    }
  }

  @Test
  @DisplayName("keeps a WebSocket open well past the HTTP request deadline (it is not a slow request)")
  void socketsOutliveTheRequestDeadline() throws Exception {
    try (var watcher = bystander()) {
      for (int i = 0; i < 5; i++) watcher.next(f -> "pong".equals(f.getString("type")), "pong");   // one every 500 ms
      receivesItsPush(watcher);
      assertThat(watcher.closed().isComplete()).isFalse();
    }
  }

  @Test
  @DisplayName("refuses sockets beyond http.maxConnections, counted, while the open ones keep receiving their pushes")
  void manySockets() throws Exception {
    var before = live.running.meters().find("vigie.http.connections.closed").tag("reason", "too_many").counter();
    var refusedBefore = before == null ? 0 : before.count();
    var opened = new ArrayList<LiveTestClient>();
    var refused = 0;
    try (var watcher = bystander()) {
      for (int i = 0; i < MAX_CONNECTIONS + 5; i++) {
        try {
          opened.add(LiveTestClient.connect(live.vertx, live.port(), LiveTestClient.WS));
        } catch (Exception e) {
          refused++;
        }
      }
      assertThat(refused).isGreaterThanOrEqualTo(5);
      assertThat(live.running.meters().find("vigie.http.connections.closed").tag("reason", "too_many").counter().count())
          .isEqualTo(refusedBefore + refused);
      receivesItsPush(watcher);
    } finally {
      opened.forEach(LiveTestClient::close);
      for (var client : opened) client.closed().await(10, SECONDS);   // their slots free again for the other tests
    }
  }
}
