package io.vigie.realtime;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A live client on a real WebSocket: the plain {@code /ws} endpoint (text frames), or what a browser's
 * vertx-eventbus client does on SockJS's raw WebSocket transport ({@code /eventbus/websocket}, JSON frames as
 * binary messages). JSON frames {@code auth}, {@code register}, {@code ping} out; {@code rec}, {@code snapshot},
 * {@code err} in. It pings every 500 ms, as the event-bus client does every 5 s.
 */
final class LiveTestClient implements AutoCloseable {
  static final String SOCKJS = "/eventbus/websocket";
  static final String WS = "/ws";

  private final Vertx vertx;
  /** Held: a Vert.x 5 client nobody references is closed, with its connections, when collected. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final long pingTimer;
  private final BlockingQueue<JsonObject> unread = new LinkedBlockingQueue<>();
  private final Promise<Short> closed = Promise.promise();
  /** Every frame received, in order. */
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();

  private LiveTestClient(Vertx vertx, WebSocketClient client, WebSocket socket, boolean pinging) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(data -> {
      var frame = new JsonObject(data);
      frames.add(frame);
      unread.add(frame);
    });
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    this.pingTimer = pinging ? vertx.setPeriodic(500, id -> send(new JsonObject().put("type", "ping"))) : -1;
  }

  /** Connects to {@code path} ({@link #WS} or {@link #SOCKJS}, with a query string if wanted). */
  static LiveTestClient connect(Vertx vertx, int port, String path) throws Exception {
    return connect(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(path));
  }

  static LiveTestClient connect(Vertx vertx, WebSocketConnectOptions options) throws Exception {
    return connect(vertx, options, true);
  }

  /** @param pinging false: a client that never pings (the server should close it once idle) */
  static LiveTestClient connect(Vertx vertx, WebSocketConnectOptions options, boolean pinging) throws Exception {
    var client = vertx.createWebSocketClient();
    // handlers set as soon as connected, on the socket's event loop: a server that closes at once is still seen
    return client.connect(options).map(socket -> new LiveTestClient(vertx, client, socket, pinging)).await(10, SECONDS);
  }

  void auth(String token) {
    send(new JsonObject().put("type", "auth").put("token", token));
  }

  void register(String address) {
    register(address, (JsonObject) null);
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

  void sendText(String text) {
    socket.writeTextMessage(text);
  }

  /** Stops reading from the socket (the server's pushes pile up), as a client on a bad network would. */
  void stopReading() {
    socket.pause();
  }

  void resumeReading() {
    socket.resume();
  }

  /** The close status code the server sent, once the socket is closed. */
  Future<Short> closed() {
    return closed.future();
  }

  /** The next frame (in arrival order) that matches, skipping the others; fails after {@code seconds}. */
  JsonObject next(Predicate<JsonObject> wanted, String description, int seconds) throws InterruptedException {
    var deadline = System.nanoTime() + SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      var frame = unread.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), MILLISECONDS);
      if (frame != null && wanted.test(frame)) return frame;
    }
    throw new AssertionError("no " + description + " within " + seconds + " s; frames: " + summary());
  }

  JsonObject next(Predicate<JsonObject> wanted, String description) throws InterruptedException {
    return next(wanted, description, 10);
  }

  JsonObject nextError() throws InterruptedException {
    return next(f -> "err".equals(f.getString("type")), "err frame");
  }

  /** The next err frame, which must have this code. */
  JsonObject expectError(String code) throws InterruptedException {
    var error = nextError();
    if (!code.equals(error.getValue("body"))) throw new AssertionError("expected err " + code + ", got " + error);
    return error;
  }

  /** Registers (with the connection's token) and expects the refusal of that address. */
  void registerRefused(String address) throws InterruptedException {
    register(address);
    var refusal = expectError("rejected");
    if (!address.equals(refusal.getString("address"))) throw new AssertionError("refusal of another address: " + refusal);
  }

  JsonObject nextOf(String type, String address) throws InterruptedException {
    return next(f -> type.equals(f.getString("type")) && address.equals(f.getString("address")), type + " on " + address);
  }

  /** Registers and waits for the snapshot that says the subscription is in place. */
  JsonObject subscribe(String address, String token) throws InterruptedException {
    register(address, token);
    return nextOf("snapshot", address);
  }

  /** Runs {@code publish} every 100 ms until a message arrives on {@code address}. */
  JsonObject publishUntilReceived(Runnable publish, String address) throws InterruptedException {
    publish.run();
    var timer = vertx.setPeriodic(100, id -> publish.run());
    try {
      return nextOf("rec", address);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /** The frames received, short: type, address, and the frame counter or the error code. */
  String summary() {
    return frames.stream().map(f -> f.getString("type") + (f.getString("address") == null ? "" : " " + f.getString("address"))
        + (f.getValue("body") instanceof JsonObject body ? " fCnt=" + body.getValue("fCnt") : " " + f.getValue("body"))
        + (f.getValue("count") == null ? "" : " count=" + f.getValue("count"))).toList().toString();
  }

  List<JsonObject> received() {
    return frames.stream().filter(f -> "rec".equals(f.getString("type"))).toList();
  }

  List<JsonObject> errors() {
    return frames.stream().filter(f -> "err".equals(f.getString("type"))).toList();
  }

  @Override
  public void close() {
    if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
    socket.close();
    client.close();
  }
}
