package io.vigie.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a partner app does, over public interfaces only: HTTP API, ingestion, SockJS. */
final class PlatformClient {
  final Vertx vertx;
  final WebClient http;
  final int port;

  PlatformClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  static JsonObject fixture(String name) {
    try (var in = PlatformClient.class.getResourceAsStream("/payload/" + name)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Future<String> token(String username, String password) {
    return http.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("grant_type", "password").put("username", username).put("password", password))
        .map(response -> {
          if (response.statusCode() != 200) throw new AssertionError("token: " + response.statusCode() + " " + response.bodyAsString());
          return response.bodyAsJsonObject().getString("access_token");
        });
  }

  Future<HttpResponse<Buffer>> post(String token, String path, JsonObject body) {
    return http.post(path).bearerTokenAuthentication(token).sendJsonObject(body);
  }

  Future<HttpResponse<Buffer>> put(String token, String path, JsonObject body) {
    return http.put(path).bearerTokenAuthentication(token).sendJsonObject(body);
  }

  /** The hierarchy of the blueprint's example: default / Paris / Building A / Kitchen / Fridge 12, and the probe. */
  Future<Void> registerFridge(String token, String devEui) {
    return created(post(token, "/api/v1/nodes", node("site-paris", "default", "site", "Paris")))
        .compose(x -> created(post(token, "/api/v1/nodes", node("bldg-a", "site-paris", "building", "Building A"))))
        .compose(x -> created(post(token, "/api/v1/nodes", node("kitchen-1", "bldg-a", "room", "Kitchen"))))
        .compose(x -> created(post(token, "/api/v1/nodes", node("fridge-12", "kitchen-1", "asset", "Fridge 12"))))
        .compose(x -> created(put(token, "/api/v1/device-types/lpp-probe", new JsonObject().put("name", "LPP probe")
            .put("codec", new JsonObject().put("kind", "cayenne-lpp")))))
        .compose(x -> created(post(token, "/api/v1/devices", new JsonObject().put("devEui", devEui)
            .put("name", "Fridge 12 probe").put("nodeId", "fridge-12").put("type", "lpp-probe")
            .put("activation", new JsonObject().put("mode", "network-decrypted")))));
  }

  private static JsonObject node(String id, String parentId, String kind, String name) {
    return new JsonObject().put("id", id).put("parentId", parentId).put("kind", kind).put("name", name);
  }

  private static Future<Void> created(Future<HttpResponse<Buffer>> response) {
    return response.map(r -> {
      if (r.statusCode() / 100 != 2) throw new AssertionError("expected 2xx, got " + r.statusCode() + " " + r.bodyAsString());
      return null;
    });
  }

  Future<HttpResponse<Buffer>> uplink(String ingestToken, JsonObject body) {
    return http.post("/uplinks/chirpstack").addQueryParam("event", "up").bearerTokenAuthentication(ingestToken)
        .sendJsonObject(body);
  }

  /** A SockJS client on the raw WebSocket transport of the event-bus bridge. */
  Future<SockJsClient> sockJs() {
    // the client is kept with the socket: Vert.x 5 closes a client (and its connections) once it is garbage
    var client = vertx.createWebSocketClient();
    return client.connect(port, "127.0.0.1", "/eventbus/websocket").map(socket -> new SockJsClient(vertx, client, socket));
  }

  static final class SockJsClient {
    final WebSocketClient client;
    final WebSocket socket;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();

    SockJsClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
      this.client = client;
      this.socket = socket;
      // the raw WebSocket transport of SockJS sends its JSON frames as binary messages
      socket.handler(buffer -> frames.add(new JsonObject(buffer)));
      // the bridge closes sockets that do not ping (every 10 s by default)
      var ping = vertx.setPeriodic(2000, id -> socket.writeTextMessage(new JsonObject().put("type", "ping").encode()));
      socket.closeHandler(closed -> vertx.cancelTimer(ping));
    }

    Future<Void> register(String address, String token) {
      return socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address)
          .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode());
    }

    List<JsonObject> received(String address) {
      return frames.stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"))).toList();
    }

    List<JsonObject> errors() {
      return frames.stream().filter(f -> "err".equals(f.getString("type"))).toList();
    }
  }
}
