package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Behind an Ingress or a load balancer, the API and the uplink webhooks may live at two addresses. */
@ExtendWith(VertxExtension.class)
@DisplayName("The simulator with --api-url and --ingest-url")
class SplitUrlsTest {

  @Test
  @DisplayName("both default to --url, and the broker and UDP hosts follow --ingest-url")
  void defaults() {
    var same = SimulatorOptions.parse(new String[] {"--url", "http://vigie.internal:9000"}, Map.of());
    assertThat(List.of(same.apiUrl(), same.ingestUrl())).containsOnly("http://vigie.internal:9000");
    var split = SimulatorOptions.parse(new String[] {"--api-url", "https://api.example.com",
        "--ingest-url", "http://ingest.example.com:8080"}, Map.of());
    assertThat(List.of(split.apiUrl(), split.ingestUrl(), split.udpHost(), split.mqttUrl())).containsExactly(
        "https://api.example.com", "http://ingest.example.com:8080", "ingest.example.com", "tcp://ingest.example.com:1883");
  }

  @Test
  @DisplayName("registers the fleet at the API address and sends every uplink to the ingest address")
  void splitsTheTraffic(Vertx vertx, VertxTestContext ctx) {
    var apiPaths = new CopyOnWriteArrayList<String>();
    var ingestPaths = new CopyOnWriteArrayList<String>();
    Future.all(listen(vertx, apiPaths, SplitUrlsTest::api), listen(vertx, ingestPaths, SplitUrlsTest::ingest))
        .compose(servers -> {
          var options = SimulatorOptions.parse(new String[] {
              "--api-url", "http://127.0.0.1:" + servers.<HttpServer>resultAt(0).actualPort(),
              "--ingest-url", "http://127.0.0.1:" + servers.<HttpServer>resultAt(1).actualPort(),
              "--ingest-token", "secret", "--admin-password", "pw", "--devices", "3", "--count", "3", "--rate", "50"},
              Map.of());
          return Main.run(vertx, options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        })
        .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
          assertThat(code).as("exit code: every uplink acknowledged").isZero();
          assertThat(apiPaths).contains("/api/v1/auth/token", "/api/v1/devices").allMatch(p -> p.startsWith("/api/v1/"));
          assertThat(ingestPaths).hasSize(3).allMatch(p -> p.startsWith("/uplinks/chirpstack"));
          ctx.completeNow();
        })));
  }

  private static Future<HttpServer> listen(Vertx vertx, List<String> paths,
                                           java.util.function.Consumer<HttpServerRequest> answer) {
    return vertx.createHttpServer()
        .requestHandler(request -> {
          paths.add(request.path());
          request.body().onSuccess(body -> answer.accept(request));
        })
        .listen(0, "127.0.0.1");
  }

  /** A registry that accepts everything: a token, the device type, nodes and devices. */
  private static void api(HttpServerRequest request) {
    var response = request.response().putHeader("Content-Type", "application/json");
    if (request.path().equals("/api/v1/auth/token")) {
      response.end(new JsonObject().put("access_token", "token").encode());
    } else if (request.path().startsWith("/api/v1/")) {
      response.setStatusCode(request.method().name().equals("POST") ? 201 : 200).end("{}");
    } else {
      response.setStatusCode(404).end("{}");
    }
  }

  /** A gateway that accepts every uplink. */
  private static void ingest(HttpServerRequest request) {
    request.response().setStatusCode(request.path().startsWith("/uplinks/") ? 202 : 404)
        .putHeader("Content-Type", "application/json").end("{\"id\":\"x\"}");
  }
}
