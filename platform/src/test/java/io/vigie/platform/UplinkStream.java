package io.vigie.platform;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.message.MessageIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What ChirpStack's HTTP integration does: posts the uplinks of several devices at a steady rate, each device's
 * counter going up, never sending one again. Keeps what the platform answered: the ids acknowledged with 202, the
 * slowest 202, and every other outcome (status, or -1 when the platform could not be reached). Another
 * {@link Transport} sends the same uplinks another way (ChirpStack's MQTT integration: {@link MqttUplinks}).
 */
final class UplinkStream {
  /** How an uplink reaches the platform. */
  interface Transport {
    /**
     * Completes with {@link #ACCEPTED} when the uplink is acknowledged (HTTP 202, MQTT PUBACK), with another HTTP
     * status when refused, with {@link #NOT_REACHED} when it never left (connection refused, not connected); fails
     * when no answer came (connection cut, no acknowledgement in time): taken or not, the sender cannot know.
     */
    Future<Integer> send(String devEui, long fCnt, JsonObject body);
  }

  static final int ACCEPTED = 202;
  static final int NOT_REACHED = 0;
  private final Vertx vertx;
  private final Transport transport;
  private final List<String> devEuis;
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Ids answered 202, in the order of the answers. */
  final List<String> accepted = new CopyOnWriteArrayList<>();
  /** Ids whose request got no answer (connection refused or cut): appended or not, the sender cannot know. */
  final List<String> unanswered = new CopyOnWriteArrayList<>();
  /** Answers other than 202, by status ({@link #NOT_REACHED}: never left; -1: no answer, connection cut or timeout). */
  final Map<Integer, Integer> others = new ConcurrentHashMap<>();
  private volatile long slowestAcceptedMs;
  private long timer = -1;

  /** ChirpStack's HTTP integration posting to the platform on {@code port}. */
  UplinkStream(Vertx vertx, int port, String ingestToken, List<String> devEuis) {
    this(vertx, http(vertx, port, ingestToken), devEuis);
  }

  UplinkStream(Vertx vertx, Transport transport, List<String> devEuis) {
    this.vertx = vertx;
    this.transport = transport;
    this.devEuis = List.copyOf(devEuis);
  }

  /** ChirpStack's HTTP integration: a 202 is the platform's acknowledgement (the uplink is in its ingest log). */
  static Transport http(Vertx vertx, int port, String ingestToken) {
    var http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setConnectTimeout(2000).setIdleTimeout(5));
    return (devEui, fCnt, body) -> http.post("/uplinks/chirpstack").addQueryParam("event", "up")
        .bearerTokenAuthentication(ingestToken).timeout(10_000).sendJsonObject(body).map(response -> response.statusCode())
        .recover(e -> e instanceof java.net.ConnectException ? Future.succeededFuture(NOT_REACHED) : Future.failedFuture(e));
  }

  /** Starts posting {@code perSecond} uplinks a second, the devices in turn. */
  UplinkStream start(int perSecond) {
    timer = vertx.setPeriodic(1000 / perSecond, id -> post());
    return this;
  }

  /** Stops posting; completes once every uplink posted is answered (or failed). */
  Future<Void> stop() {
    vertx.cancelTimer(timer);
    var drained = Promise.<Void>promise();
    vertx.setPeriodic(50, id -> {
      if (inFlight.get() == 0) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  int sent() {
    return sent.get();
  }

  long slowestAcceptedMs() {
    return slowestAcceptedMs;
  }

  private void post() {
    var devEui = devEuis.get(sent.getAndIncrement() % devEuis.size());
    long fCnt = counters.merge(devEui, 1L, Long::sum);
    var body = PlatformClient.fixture("chirpstack-v4.uplink.json").put("fCnt", fCnt);   // 01 67 00 eb = 23.5 °C
    body.getJsonObject("deviceInfo").put("devEui", devEui);
    var started = System.nanoTime();
    inFlight.incrementAndGet();
    transport.send(devEui, fCnt, body)
        .onComplete(answer -> {
          if (answer.succeeded() && answer.result() == ACCEPTED) {
            slowestAcceptedMs = Math.max(slowestAcceptedMs, (System.nanoTime() - started) / 1_000_000);
            accepted.add(MessageIds.uplinkId(devEui, fCnt));
          } else {
            if (answer.failed()) unanswered.add(MessageIds.uplinkId(devEui, fCnt));
            others.merge(answer.succeeded() ? answer.result() : -1, 1, Integer::sum);
          }
          inFlight.decrementAndGet();
        });
  }

  /** How many documents each of these ids has in the indices {@code <prefix>-*} (ids absent: not stored). */
  static Map<String, Integer> copies(String esUrl, String indexPrefix, List<String> ids) throws Exception {
    var client = HttpClient.newHttpClient();
    client.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + indexPrefix + "-*/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    var found = new HashMap<String, Integer>();
    for (int from = 0; from < ids.size(); from += 4_000) {   // 4,000 ids have at most 10,000 copies in any sane case
      var query = new JsonObject().put("size", 10_000).put("_source", false).put("query", new JsonObject()
          .put("ids", new JsonObject().put("values", new JsonArray(ids.subList(from, Math.min(ids.size(), from + 4_000))))));
      var response = client.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + indexPrefix + "-*/_search"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query.encode())).build(),
          BodyHandlers.ofString());
      if (response.statusCode() != 200) return Map.of();
      for (var hit : new JsonObject(response.body()).getJsonObject("hits").getJsonArray("hits")) {
        found.merge(((JsonObject) hit).getString("_id"), 1, Integer::sum);
      }
    }
    return found;
  }

  /** How many documents the indices {@code <prefix>-*} hold for these devices. */
  static long count(String esUrl, String indexPrefix, List<String> devEuis) throws Exception {
    var query = new JsonObject().put("query", new JsonObject().put("terms", new JsonObject().put("devEui", new JsonArray(devEuis))));
    var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(esUrl + "/" + indexPrefix + "-*/_count"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query.encode())).build(),
        BodyHandlers.ofString());
    return new JsonObject(response.body()).getLong("count");
  }

  /** Registers a Cayenne LPP device type and these devices (network-decrypted) as admin. */
  static Future<Void> register(PlatformClient client, String adminPassword, List<String> devEuis) {
    return client.token("admin", adminPassword).compose(token -> client.put(token, "/api/v1/device-types/stream-probe",
            new JsonObject().put("name", "Stream probe").put("codec", new JsonObject().put("kind", "cayenne-lpp")))
        .compose(type -> Future.all(devEuis.stream().map(devEui -> client.post(token, "/api/v1/devices", new JsonObject()
            .put("devEui", devEui).put("name", "Stream probe " + devEui).put("nodeId", "default").put("type", "stream-probe")
            .put("activation", new JsonObject().put("mode", "network-decrypted")))
            .map(created -> {
              if (created.statusCode() != 201) throw new AssertionError(created.statusCode() + " " + created.bodyAsString());
              return created;
            })).toList())))
        .mapEmpty();
  }
}
