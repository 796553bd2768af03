package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The published contract and the running platform agree: every route any service serves is in the OpenAPI
 * document served at {@code /api/v1/openapi.json}, under that service.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The API contract")
class ApiContractTest {
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  static Platform platform;
  static Vertx clientVertx;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-contract").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/4"))   // one Redis database per test class of this module (1–4)
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", "contract-measurements"))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-contract-test"))
        .put("udp", new JsonObject().put("port", FreePorts.find()))
        .put("auth", new JsonObject().put("adminPassword", "contract-admin-password"))
        .put("ingest", new JsonObject().put("token", "contract-ingest-secret"));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    clientVertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (clientVertx != null) clientVertx.close();
    if (platform != null) platform.close();
  }

  @Test
  @DisplayName("every route of every service is documented under that service, with its method and path")
  void everyRouteIsDocumented() throws Exception {
    var client = new PlatformClient(clientVertx, platform.port());
    var response = client.http.get("/api/v1/openapi.json").send().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    var document = response.bodyAsJsonObject();
    assertThat(document.getString("openapi")).startsWith("3.");

    var routers = platform.routers();
    assertThat(routers.keySet()).containsExactlyInAnyOrder("registry", "gateway", "decoder", "enrichment", "alert", "realtime");
    routers.forEach((service, router) -> {
      var served = operations(router);
      // realtime's one route is the SockJS bridge, which takes every method: nothing to list here
      if (!service.equals("realtime")) assertThat(served).as("%s serves routes", service).isNotEmpty();
      assertThat(documented(document, service.equals("registry") ? "device-registry-service" : service + "-service"))
          .as("the document lists every route %s serves", service).containsAll(served);
    });
  }

  /** "METHOD /path/{param}" of every route with methods (bridges and catch-alls have none). */
  static Set<String> operations(Router router) {
    var out = new TreeSet<String>();
    for (var route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) continue;
      var path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      route.methods().forEach(method -> out.add(method.name() + " " + path));
    }
    return out;
  }

  static Set<String> documented(JsonObject document, String service) {
    var out = new TreeSet<String>();
    var paths = document.getJsonObject("paths");
    for (var path : paths.fieldNames()) {
      var item = paths.getJsonObject(path);
      for (var method : item.fieldNames()) {
        if (METHODS.contains(method) && service.equals(item.getJsonObject(method).getString("x-vigie-service"))) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return out;
  }
}
