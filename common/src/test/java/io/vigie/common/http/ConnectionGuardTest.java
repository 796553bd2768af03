package io.vigie.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.launch.ServiceModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Every service's HTTP port against slow, oversized and numerous clients")
class ConnectionGuardTest {
  static final int DEADLINE_MS = 2000;
  static final int MAX_CONNECTIONS = 12;
  static ServiceLauncher.Running running;
  static Vertx clientVertx;
  /** The well-behaved client: one kept-alive connection. */
  static WebClient client;

  /** The smallest service: one GET, one POST reading its body, one WebSocket echoing. */
  static final class Tiny implements ServiceModule {
    @Override public String name() { return "tiny"; }

    @Override public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
      return Future.succeededFuture(routes(Router.router(vertx)));
    }

    static Router routes(Router router) {
      router.get("/tiny").handler(ctx -> ctx.json(new JsonObject().put("ok", true)));
      router.get("/socket").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage)));
      router.post("/tiny").handler(BodyHandler.create()).handler(ctx -> ctx.json(new JsonObject().put("length", ctx.body().length())));
      return router;
    }
  }

  @BeforeAll
  static void launch() throws Exception {
    running = ServiceLauncher.launch(List.of(new Tiny()), Map.of(), new JsonObject().put("http", new JsonObject()
            .put("port", 0).put("requestTimeout", DEADLINE_MS).put("maxConnections", MAX_CONNECTIONS)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
    client.get(running.port(), "127.0.0.1", "/tiny").send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    running.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The well-behaved client asks; it must be answered 200 within a second (half the deadline). */
  static void answeredPromptly() throws Exception {
    var started = System.nanoTime();
    var response = client.get(running.port(), "127.0.0.1", "/tiny").send()
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(DEADLINE_MS / 2));
  }

  static double closes(String reason) {
    var counter = running.meters().find("vigie.http.connections.closed").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** What {@code /metrics} says of the closes for {@code reason}. */
  static String metricsLine(String reason) throws Exception {
    var text = client.get(running.port(), "127.0.0.1", "/metrics").send()
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).bodyAsString();
    return text.lines().filter(line -> line.startsWith("vigie_http_connections_closed_total{reason=\"" + reason + "\"")).findFirst().orElse("");
  }

  @Test
  @DisplayName("a client dribbling its request headers a byte at a time is cut at the header deadline, counted on /metrics, while another is answered promptly")
  void slowloris() throws Exception {
    var before = closes("header_timeout");
    var started = System.nanoTime();
    try (var slow = new RawHttp(running.port()).send("GET /tiny HTTP/1.1\r\nHost: localhost\r\n").dribble("X-Slow: loris\r\n", 50)) {
      await().atMost(Duration.ofMillis(DEADLINE_MS * 5L)).pollInterval(Duration.ofMillis(100)).until(() -> {
        answeredPromptly();
        return slow.closed().isDone();
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not cut before the deadline")
          .isGreaterThanOrEqualTo(Duration.ofMillis(DEADLINE_MS));
      assertThat(slow.statusLine()).as("no answer to a request never finished").isNull();
    }
    assertThat(closes("header_timeout")).isEqualTo(before + 1);
    assertThat(metricsLine("header_timeout")).endsWith(" " + (before + 1));
  }

  @Test
  @DisplayName("a request body dribbled slower than the deadline is cut, while another client is answered promptly")
  void slowBody() throws Exception {
    var before = closes("body_timeout");
    try (var slow = new RawHttp(running.port())
        .send("POST /tiny HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
        .dribble("a", 50)) {
      await().atMost(Duration.ofMillis(DEADLINE_MS * 5L)).pollInterval(Duration.ofMillis(100)).until(() -> {
        answeredPromptly();
        return slow.closed().isDone();
      });
    }
    assertThat(closes("body_timeout")).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("20 kB of headers are answered 431 and a 10 kB request line 414, and the server goes on answering")
  void oversized() throws Exception {
    try (var headers = new RawHttp(running.port()).send("GET /tiny HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
         var uri = new RawHttp(running.port()).send("GET /tiny?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> headers.statusLine() != null && uri.statusLine() != null);
      assertThat(headers.statusLine()).matches("HTTP/1\\.[01] 431 .*");
      assertThat(uri.statusLine()).matches("HTTP/1\\.[01] 414 .*");
    }
    answeredPromptly();
  }

  @Test
  @DisplayName("a WebSocket outlives the request deadline, and its close frees its place: more sockets than the bound, one after the other, all open")
  void webSockets() throws Exception {
    var sockets = clientVertx.createWebSocketClient();
    var first = sockets.connect(running.port(), "127.0.0.1", "/socket").await(5, TimeUnit.SECONDS);
    var echoes = new java.util.concurrent.LinkedBlockingQueue<String>();
    first.textMessageHandler(echoes::add);
    var started = System.nanoTime();
    await().atMost(Duration.ofMillis(DEADLINE_MS * 5L)).pollInterval(Duration.ofMillis(200)).until(() -> {
      first.writeTextMessage("ping").await(5, TimeUnit.SECONDS);
      assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("ping");
      return System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS * 3L / 2);
    });
    first.close().await(5, TimeUnit.SECONDS);
    for (int i = 0; i < MAX_CONNECTIONS * 2; i++) {
      var socket = sockets.connect(running.port(), "127.0.0.1", "/socket").await(5, TimeUnit.SECONDS);
      socket.close().await(5, TimeUnit.SECONDS);
    }
    var open = running.meters().find("vigie.http.connections").gauge();
    await().atMost(Duration.ofSeconds(5)).until(() -> open.value() <= 1);
    sockets.close();
  }

  @Test
  @DisplayName("connections beyond the bound are closed at once and counted; a client already connected is still served; the idle ones go at the deadline")
  void manyConnections() throws Exception {
    var open = running.meters().find("vigie.http.connections").gauge();
    await().atMost(Duration.ofMillis(DEADLINE_MS * 5L)).until(() -> open.value() <= 1);
    answeredPromptly();  // the well-behaved client's connection, open before the flood
    var refusedBefore = closes("too_many");
    var idleBefore = closes("header_timeout");
    var flood = new ArrayList<RawHttp>();
    try {
      for (int i = 0; i < 20; i++) flood.add(new RawHttp(running.port()));
      var excess = 20 - (MAX_CONNECTIONS - 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> flood.stream().filter(raw -> raw.closed().isDone()).count() >= excess);
      assertThat(closes("too_many")).isEqualTo(refusedBefore + excess);
      answeredPromptly();
      await().atMost(Duration.ofMillis(DEADLINE_MS * 5L)).pollInterval(Duration.ofMillis(100)).until(() -> {
        answeredPromptly();
        return flood.stream().allMatch(raw -> raw.closed().isDone());
      });
      assertThat(closes("header_timeout")).isEqualTo(idleBefore + MAX_CONNECTIONS - 1);
    } finally {
      for (var raw : flood) raw.close();
    }
    try (var fresh = new RawHttp(running.port()).send("GET /tiny HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> fresh.statusLine() != null);
      assertThat(fresh.statusLine()).as("a new connection is taken again").startsWith("HTTP/1.1 200");
    }
  }
}
