package io.vigie.common.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The HTTP edge every service shares: client address, CORS, security headers")
class HttpEdgeTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, SECONDS);
  }

  private WebClient serve(JsonObject config) throws Exception {
    var router = Router.router(vertx);
    HttpEdge.install(router, HttpEdge.Settings.from(config));
    router.route("/whoami").handler(ctx -> ctx.end(HttpEdge.clientAddress(ctx)));
    var server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, SECONDS);
    return WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
  }

  @Test
  @DisplayName("without trusted proxies X-Forwarded-For is ignored: the client is the TCP peer")
  void untrustedForwardedFor() throws Exception {
    var http = serve(new JsonObject());
    var answer = http.get("/whoami").putHeader("X-Forwarded-For", "203.0.113.7").send().await(10, SECONDS);
    assertThat(answer.bodyAsString()).isEqualTo("127.0.0.1");
  }

  @Test
  @DisplayName("behind one trusted proxy the client is the last X-Forwarded-For entry, whatever the client wrote before it")
  void trustedProxy() throws Exception {
    var http = serve(new JsonObject().put("http", new JsonObject().put("trustedProxies", 1)));
    var answer = http.get("/whoami").putHeader("X-Forwarded-For", "1.2.3.4, 203.0.113.7").send().await(10, SECONDS);
    assertThat(answer.bodyAsString()).isEqualTo("203.0.113.7");
    assertThat(HttpEdge.forwardedAddress(List.of("1.2.3.4", "10.0.0.1, 203.0.113.7"), 2)).isEqualTo("10.0.0.1");
    assertThat(HttpEdge.forwardedAddress(List.of("not an address"), 1)).isNull();
    assertThat(HttpEdge.forwardedAddress(List.of(), 1)).isNull();
  }

  @Test
  @DisplayName("CORS opens only to the configured origins; answers carry nosniff and frame denial")
  void corsAllowList() throws Exception {
    var http = serve(new JsonObject().put("http", new JsonObject().put("corsOrigins", "https://ops.example.com")));
    var allowed = http.request(HttpMethod.OPTIONS, "/whoami").putHeader("Origin", "https://ops.example.com")
        .putHeader("Access-Control-Request-Method", "POST").send().await(10, SECONDS);
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
    var other = http.request(HttpMethod.OPTIONS, "/whoami").putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "POST").send().await(10, SECONDS);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    var plain = http.get("/whoami").send().await(10, SECONDS);
    assertThat(plain.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(plain.getHeader("X-Frame-Options")).isEqualTo("DENY");
  }

  @Test
  @DisplayName("an origin with a path or a wildcard is refused at start")
  void invalidOrigin() {
    assertThatThrownBy(() -> HttpEdge.Settings.from(new JsonObject().put("http", new JsonObject().put("corsOrigins", "*"))))
        .hasMessageContaining("VIGIE_CORS_ORIGINS");
  }
}
