package io.vigie.realtime;

import static io.vigie.realtime.LiveFixture.LYON_PATH;
import static io.vigie.realtime.LiveFixture.LYON_PROBE;
import static io.vigie.realtime.LiveFixture.PARIS_PATH;
import static io.vigie.realtime.LiveFixture.PARIS_PROBE;
import static io.vigie.realtime.LiveFixture.measurement;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.auth.Role;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshots read from a real Elasticsearch laid out as the enrichment service writes it (alias per tenant). */
@RealElasticsearch
@DisplayName("A (re)subscription")
class SnapshotTest {
  private static final String INDEX = "vigie-measurements-acme-2026.11";
  @AutoClose
  private static LiveFixture live;
  private static WebClient es;
  private static String esUrl;

  @BeforeAll
  static void launch(EmbeddedElasticsearch elasticsearch) throws Exception {
    esUrl = elasticsearch.url();
    live = LiveFixture.launch(new JsonObject().put("elasticsearch", new JsonObject().put("url", esUrl)));
    es = WebClient.create(live.vertx);
    var mapping = new JsonObject().put("mappings", new JsonObject().put("dynamic", false).put("properties", new JsonObject()
        .put("tenant", keyword()).put("devEui", keyword()).put("fCnt", new JsonObject().put("type", "long"))
        .put("receivedAt", new JsonObject().put("type", "date"))
        .put("path", new JsonObject().put("properties", new JsonObject().put("id", keyword())))))
        .put("aliases", new JsonObject().put("vigie-measurements-acme", new JsonObject()));
    call(HttpMethod.DELETE, "/" + INDEX, null);
    call(HttpMethod.PUT, "/" + INDEX, mapping);
  }


  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS, LiveTestClient.SOCKJS})
  @DisplayName("starts with the latest stored values within the caller's scopes, then the live pushes, also after a reconnect")
  void snapshotThenLive(String path) throws Exception {
    var parisOld = store(measurement(PARIS_PROBE, PARIS_PATH));
    var parisNew = store(measurement(PARIS_PROBE, PARIS_PATH));
    var lyon = store(measurement(LYON_PROBE, LYON_PATH));
    var parisViewer = live.token(Role.VIEWER, "site-paris");
    var admin = live.token(Role.ADMIN, "acme");
    refresh();

    try (var client = LiveTestClient.connect(live.vertx, live.port(), path);
         var adminClient = LiveTestClient.connect(live.vertx, live.port(), path)) {
      var site = client.subscribe("telemetry.node.site-paris", parisViewer);
      var device = client.subscribe("telemetry.device." + PARIS_PROBE, parisViewer);
      var alerts = client.subscribe("alerts.node.site-paris", parisViewer);
      var tenant = adminClient.subscribe("telemetry.node.acme", admin);

      assertThat(site.getJsonArray("body")).containsExactly(parisNew);
      assertThat(site.getBoolean("complete")).isTrue();
      assertThat(device.getJsonArray("body")).containsExactly(parisNew);
      assertThat(alerts.getJsonArray("body")).isEmpty();
      assertThat(alerts.getBoolean("complete")).as("no alert service answers alert.open here").isFalse();
      assertThat(tenant.getJsonArray("body")).containsExactlyInAnyOrder(parisNew, lyon);
      assertThat(parisOld).isNotIn(site.getJsonArray("body").getList());
    }

    // stored while the page was away: the next connection starts with it, then the live pushes follow
    var missed = store(measurement(PARIS_PROBE, PARIS_PATH));
    refresh();
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      client.register("telemetry.node.site-paris", parisViewer);
      // published from the start, while the registration is decided and the snapshot read: pushes wait behind it
      var push = client.publishUntilReceived(() -> live.publishMeasurement(measurement(PARIS_PROBE, PARIS_PATH)),
          "telemetry.node.site-paris");
      var snapshot = client.frames.stream().filter(f -> "snapshot".equals(f.getString("type"))).findFirst().orElseThrow();
      assertThat(snapshot.getJsonArray("body")).containsExactly(missed);
      assertThat(client.frames.indexOf(snapshot)).isLessThan(client.frames.indexOf(push));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {LiveTestClient.WS})
  @DisplayName("never shows what a device stored under a part of the tree the caller may not see")
  void onlyWithinScopes(String path) throws Exception {
    // the Lyon probe was in Paris before: its newest document there must not reach a Lyon-only user
    var inLyon = store(measurement(LYON_PROBE, LYON_PATH));
    var inParisLater = measurement(LYON_PROBE, PARIS_PATH);
    store(inParisLater);
    refresh();
    try (var client = LiveTestClient.connect(live.vertx, live.port(), path)) {
      var device = client.subscribe("telemetry.device." + LYON_PROBE, live.token(Role.VIEWER, "site-lyon"));
      assertThat(device.getJsonArray("body")).containsExactly(inLyon);
    }
  }

  private static JsonObject keyword() {
    return new JsonObject().put("type", "keyword");
  }

  private static JsonObject store(JsonObject document) throws Exception {
    call(HttpMethod.PUT, "/" + INDEX + "/_doc/" + document.getString("id"), document);
    return document;
  }

  private static void refresh() throws Exception {
    call(HttpMethod.POST, "/" + INDEX + "/_refresh", null);
  }

  private static void call(HttpMethod method, String uri, JsonObject body) throws Exception {
    var request = es.requestAbs(method, esUrl + uri);
    var response = (body == null ? request.send() : request.sendJsonObject(body)).await(30, SECONDS);
    if (response.statusCode() >= 300 && method != HttpMethod.DELETE) {
      throw new IllegalStateException(method + " " + uri + " → " + response.statusCode() + " " + response.bodyAsString());
    }
  }
}
