package io.vigie.simulator.capacity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MessageIds;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When stored measurements are pushed to a live client: a raw-WebSocket SockJS client of {@code /eventbus} that
 * subscribes, as admin, to {@code telemetry.device.<devEui>} for a sample of the devices, and notes the arrival time
 * ({@link System#nanoTime()}) of each measurement by uplink id. A sample keeps the cost of the pushes (which a real
 * dashboard watching a few fridges would also cause) small against the uplinks measured.
 */
final class LivePushes {
  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final WebSocketClient client;
  private WebSocket socket;
  private long pingTimer = -1;
  private final Vertx vertx;

  LivePushes(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
  }

  /** Connects and subscribes to each device; completes once every subscription was sent (refusals fail later pushes only). */
  Future<Void> subscribe(String baseUrl, String jwt, List<String> devEuis) {
    var uri = URI.create(baseUrl);
    return client.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
            .setURI("/eventbus/websocket"))
        .map(ws -> {
          socket = ws;
          ws.textMessageHandler(text -> received(new JsonObject(text)));
          ws.binaryMessageHandler(data -> received(data.toJsonObject()));
          for (var devEui : devEuis) {
            ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "telemetry.device." + devEui)
                .put("headers", new JsonObject().put("Authorization", "Bearer " + jwt)).encode());
          }
          // the bridge closes a socket that stays silent past its ping timeout
          pingTimer = vertx.setPeriodic(5000, id -> ws.writeTextMessage("{\"type\":\"ping\"}"));
          return null;
        });
  }

  private void received(JsonObject message) {
    if (!"rec".equals(message.getString("type"))) return;
    var body = message.getJsonObject("body");
    if (body == null || body.getString("devEui") == null) return;
    arrivals.putIfAbsent(MessageIds.uplinkId(body.getString("devEui"), body.getLong("fCnt", 0L)), System.nanoTime());
  }

  /** When the measurement of this uplink was pushed, or null. */
  Long arrival(String uplinkId) {
    return arrivals.get(uplinkId);
  }

  int count() {
    return arrivals.size();
  }

  Future<Void> close() {
    vertx.cancelTimer(pingTimer);
    return (socket == null ? Future.<Void>succeededFuture() : socket.close()).eventually(client::close);
  }
}
