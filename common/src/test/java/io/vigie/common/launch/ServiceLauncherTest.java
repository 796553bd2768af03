package io.vigie.common.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.http.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The service launcher")
class ServiceLauncherTest {
  final AtomicBoolean dependencyUp = new AtomicBoolean(true);
  /** What the services' drain steps wait for: the work they hold, finished. */
  final io.vertx.core.Promise<Void> workHeld = io.vertx.core.Promise.promise();
  ServiceLauncher.Running running;
  Vertx clientVertx;
  WebClient client;

  /** A service with one route, one failing route and one readiness check on a switchable dependency. */
  final class Probe implements ServiceModule {
    final String name;
    final String path;
    final List<String> direct;

    Probe(String name, String path) {
      this(name, path, List.of());
    }

    Probe(String name, String path, List<String> direct) {
      this.name = name;
      this.path = path;
      this.direct = direct;
    }

    @Override
    public List<String> directPrefixes() {
      return direct;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
      context.readinessCheck("dependency", () -> dependencyUp.get() ? Future.succeededFuture() : Future.failedFuture("down"));
      context.onShutdown("work held finished", workHeld::future);
      var router = Router.router(vertx);
      router.get(path).handler(ctx -> ctx.json(new JsonObject().put("service", name)));
      router.get(path + "/missing").handler(ctx -> ctx.fail(ApiException.notFound("no such thing")));
      router.get(path + "/boom").handler(ctx -> {
        throw new IllegalStateException("secret-detail");
      });
      return Future.succeededFuture(router);
    }
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void launch() throws Exception {
    running = join(ServiceLauncher.launch(List.of(new Probe("one", "/one"), new Probe("two", "/two"),
            new Probe("hot", "/hot/path", List.of("/hot/"))), Map.of(),
        new JsonObject().put("http", new JsonObject().put("port", 0))));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
  }

  @AfterEach
  void stop() throws Exception {
    workHeld.tryComplete();
    clientVertx.close();
    join(running.stop());
  }

  @Test
  @DisplayName("a stop turns readiness 503 and refuses new requests with Retry-After at once, and closes only once the work held is finished")
  void gracefulStop() throws Exception {
    var stopped = running.stop();
    var ready = join(client.get(running.port(), "127.0.0.1", "/health/ready").send());
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsString()).contains("\"id\":\"shutdown\"").contains("\"reason\":\"stopping\"");
    var refused = join(client.get(running.port(), "127.0.0.1", "/one").send());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isNotBlank();
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(get("/health/live", 200).getString("status")).isEqualTo("UP");
    assertThat(stopped.isComplete()).as("stopped while work is held").isFalse();

    workHeld.complete();
    join(stopped);
  }

  JsonObject get(String path, int expectedStatus) throws Exception {
    var response = join(client.get(running.port(), "127.0.0.1", path).send());
    assertThat(response.statusCode()).as(path + " " + response.bodyAsString()).isEqualTo(expectedStatus);
    return response.bodyAsJsonObject();
  }

  @Test
  @DisplayName("serves the routes of several services on one port")
  void mountsEveryService() throws Exception {
    assertThat(get("/one", 200).getString("service")).isEqualTo("one");
    assertThat(get("/two", 200).getString("service")).isEqualTo("two");
  }

  @Test
  @DisplayName("a service's direct prefix is served by its routes, with the same JSON errors, and the other services' routes still answer")
  void directPrefix() throws Exception {
    assertThat(get("/hot/path", 200).getString("service")).isEqualTo("hot");
    assertThat(get("/hot/path/missing", 404).getString("message")).isEqualTo("no such thing");
    var boom = get("/hot/path/boom", 500);
    assertThat(boom.getString("error")).isEqualTo("internal_error");
    assertThat(boom.encode()).doesNotContain("secret-detail");
    assertThat(get("/hot/nowhere", 404).getString("error")).isEqualTo("not_found");
    assertThat(get("/one", 200).getString("service")).isEqualTo("one");
  }

  @Test
  @DisplayName("answers errors in the one JSON shape, without internal details")
  void errors() throws Exception {
    assertThat(get("/nowhere", 404).getString("error")).isEqualTo("not_found");
    var missing = get("/one/missing", 404);
    assertThat(missing.getString("message")).isEqualTo("no such thing");
    var boom = get("/one/boom", 500);
    assertThat(boom.getString("error")).isEqualTo("internal_error");
    assertThat(boom.encode()).doesNotContain("secret-detail");
  }

  @Test
  @DisplayName("readiness follows the real dependencies, liveness does not")
  void health() throws Exception {
    assertThat(get("/health/ready", 200).getString("outcome")).isEqualTo("UP");
    dependencyUp.set(false);
    var down = join(client.get(running.port(), "127.0.0.1", "/health/ready").send());
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getString("outcome")).isEqualTo("DOWN");
    assertThat(down.bodyAsString()).contains("\"id\":\"dependency\"").contains("\"reason\":\"down\"");
    assertThat(get("/health/live", 200).getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("serves Prometheus metrics, including the HTTP server's")
  void metrics() throws Exception {
    get("/one", 200);
    var response = join(client.get(running.port(), "127.0.0.1", "/metrics").send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("# TYPE vertx_http_server_requests_total counter");
  }

  @Test
  @DisplayName("with http.instances 2, spreads the connections over two event loops on one port, every service's routes on each")
  void severalEventLoops() throws Exception {
    var loops = new java.util.concurrent.ConcurrentHashMap<String, Boolean>();
    ServiceModule threads = new ServiceModule() {
      @Override public String name() { return "threads"; }
      @Override public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
        var router = Router.router(vertx);
        router.get("/thread").handler(ctx -> {
          loops.put(Thread.currentThread().getName(), true);
          ctx.end();
        });
        return Future.succeededFuture(router);
      }
    };
    var several = join(ServiceLauncher.launch(List.of(threads, new Probe("one", "/one")), Map.of(),
        new JsonObject().put("http", new JsonObject().put("port", 0).put("instances", 2))));
    try {
      for (int i = 0; i < 8; i++) {
        // a new connection each time (no keep-alive): each is accepted by the next server
        var response = join(client.get(several.port(), "127.0.0.1", "/thread").putHeader("Connection", "close").send());
        assertThat(response.statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(join(client.get(several.port(), "127.0.0.1", "/one").putHeader("Connection", "close").send())
            .bodyAsJsonObject().getString("service")).isEqualTo("one");
      }
      assertThat(loops).as("event loops that served /thread").hasSize(2);
    } finally {
      workHeld.tryComplete();
      join(several.stop());
    }
  }

  @Test
  @DisplayName("uses NIO unless vertx.nativeTransport is true, then Netty's native transport when the class path has it (the platform's has epoll), serving the same")
  void nativeTransport() throws Exception {
    assertThat(running.vertx().isNativeTransportEnabled()).isFalse();
    var probe = Vertx.builder().with(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)).build();
    var available = probe.isNativeTransportEnabled();
    join(probe.close());
    var epoll = join(ServiceLauncher.launch(List.of(new Probe("one", "/one")), Map.of(), new JsonObject()
        .put("http", new JsonObject().put("port", 0)).put("vertx", new JsonObject().put("nativeTransport", "true"))));
    try {
      assertThat(epoll.vertx().isNativeTransportEnabled()).isEqualTo(available);
      assertThat(join(client.get(epoll.port(), "127.0.0.1", "/one").send()).bodyAsJsonObject().getString("service"))
          .isEqualTo("one");
    } finally {
      join(epoll.stop());
    }
  }
}
