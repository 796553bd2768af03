package io.vigie.realtime;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * What a browser's vertx-eventbus client does, on SockJS's raw WebSocket transport
 * ({@code /eventbus/websocket}): JSON frames {@code register}, {@code ping} out; {@code rec}, {@code err} in.
 */
final class SockJsTestClient implements AutoCloseable {
  private final Vertx vertx;
  /** Held: a Vert.x 5 client nobody references is closed, with its connections, when collected. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final long pingTimer;
  private final BlockingQueue<JsonObject> unread = new LinkedBlockingQueue<>();
  /** Every frame received, in order. */
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();

  private SockJsTestClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    // the raw WebSocket transport of SockJS sends its JSON frames as binary WebSocket messages
    socket.handler(data -> {
      var frame = new JsonObject(data);
      frames.add(frame);
      unread.add(frame);
    });
    // the bridge closes sockets that do not ping (10 s by default)
    this.pingTimer = vertx.setPeriodic(2000, id -> send(new JsonObject().put("type", "ping")));
  }

  static SockJsTestClient connect(Vertx vertx, int port) throws Exception {
    var client = vertx.createWebSocketClient();
    var socket = client.connect(port, "127.0.0.1", "/eventbus/websocket").await(10, SECONDS);
    return new SockJsTestClient(vertx, client, socket);
  }

  void register(String address, String token) {
    register(address, new JsonObject().put("Authorization", "Bearer " + token));
  }

  void register(String address, JsonObject headers) {
    var frame = new JsonObject().put("type", "register").put("address", address);
    if (headers != null) frame.put("headers", headers);
    send(frame);
  }

  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  /** The next frame (in arrival order) that matches, skipping the others; fails after 10 s. */
  JsonObject next(Predicate<JsonObject> wanted, String description) throws InterruptedException {
    var deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var frame = unread.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), MILLISECONDS);
      if (frame != null && wanted.test(frame)) return frame;
    }
    throw new AssertionError("no " + description + " within 10 s; frames: " + frames);
  }

  JsonObject nextError() throws InterruptedException {
    return next(f -> "err".equals(f.getString("type")), "err frame");
  }

  /** Runs {@code publish} every 100 ms until a message arrives on {@code address}: registration has no ack. */
  JsonObject publishUntilReceived(Runnable publish, String address) throws InterruptedException {
    publish.run();
    var timer = vertx.setPeriodic(100, id -> publish.run());
    try {
      return next(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")), "message on " + address);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  List<JsonObject> received() {
    return frames.stream().filter(f -> "rec".equals(f.getString("type"))).toList();
  }

  @Override
  public void close() {
    vertx.cancelTimer(pingTimer);
    socket.close();
    client.close();
  }
}
