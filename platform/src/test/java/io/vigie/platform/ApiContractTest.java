package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The published contract and the running platform agree, both ways: every route any service serves is in the OpenAPI
 * document served at {@code /api/v1/openapi.json}, under that service; and every method and path the document lists
 * is served by the service it names (or, for health and metrics, by every service).
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The API contract")
class ApiContractTest {
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  /** The owner of the routes the launcher serves in every service (health, metrics). */
  static final String EVERY_SERVICE = "every service";
  static Platform platform;
  static Vertx clientVertx;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    // one Redis database per test class of this module
    platform = TestPlatforms.start("contract", 4, redis, elasticsearch, mqtt);
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
    var document = openApi();

    var routers = platform.routers();
    assertThat(routers.keySet()).containsExactlyInAnyOrder("registry", "gateway", "decoder", "enrichment", "alert", "realtime");
    routers.forEach((service, router) -> {
      var served = operations(router);
      // realtime's SockJS bridge takes every method (not listed here); its GET /ws is
      assertThat(served).as("%s serves routes", service).isNotEmpty();
      assertThat(documented(document, serviceName(service)))
          .as("the document lists every route %s serves", service).containsAll(served);
    });
  }

  @Test
  @DisplayName("every documented method and path is served: by the service it names, or by every service for health and metrics")
  void everyDocumentedRouteIsServed() throws Exception {
    var document = openApi();
    var client = new PlatformClient(clientVertx, platform.port());

    var notServed = new TreeSet<String>();
    var services = new TreeSet<String>();
    platform.routers().forEach((service, router) -> {
      services.add(serviceName(service));
      for (var operation : documented(document, serviceName(service))) {
        if (!serves(router, operation)) notServed.add(operation + " (" + serviceName(service) + ")");
      }
    });
    for (var operation : documented(document, EVERY_SERVICE)) {
      var path = operation.substring(operation.indexOf(' ') + 1);
      var status = client.http.get(path).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).statusCode();
      if (!operation.startsWith("GET ") || status == 404 || status == 405) notServed.add(operation + " (" + EVERY_SERVICE + ")");
    }
    var owners = new TreeSet<String>();
    document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (METHODS.contains(operation.getKey())) owners.add(((JsonObject) operation.getValue()).getString("x-vigie-service"));
    }));
    services.add(EVERY_SERVICE);

    assertThat(owners).as("every documented operation names a service of the platform").isSubsetOf(services);
    assertThat(notServed).as("documented, but served by no service").isEmpty();
  }

  /** The operations anyone may call; every other one needs a token (or, for uplinks, the integration secret). */
  static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/token", "GET /.well-known/jwks.json",
      "GET /api/v1/openapi.json", "GET /", "GET /eventbus/{path}", "GET /ws", "GET /health/live", "GET /health/ready",
      "GET /metrics");

  @Test
  @DisplayName("every documented operation but the few public ones answers 401 without a token, with a forged one or a wrong integration secret")
  void everyOperationNeedsAToken() throws Exception {
    var document = openApi();
    var client = new PlatformClient(clientVertx, platform.port());
    var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    var forged = b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"forged\"}".getBytes())
        + "." + b64.encodeToString(("{\"iss\":\"vigie\",\"sub\":\"admin\",\"tenant\":\"default\",\"role\":\"admin\","
        + "\"scopes\":[\"default\"],\"exp\":4102444800}").getBytes()) + "." + b64.encodeToString(new byte[64]);
    var defaults = document.getJsonArray("security", new io.vertx.core.json.JsonArray());
    var publicOperations = new TreeSet<String>();
    var open = new TreeSet<String>();
    var checked = 0;
    for (var path : document.getJsonObject("paths")) {
      for (var entry : (JsonObject) path.getValue()) {
        if (!METHODS.contains(entry.getKey())) continue;
        var operation = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        var security = ((JsonObject) entry.getValue()).getJsonArray("security", defaults);
        if (security.isEmpty()) {
          publicOperations.add(operation);
          continue;
        }
        var url = path.getKey().replaceAll("\\{[^}]+}", "0a0a0a0a0a0a0a0a");
        for (var token : new String[] {null, forged}) {
          var request = client.http.request(io.vertx.core.http.HttpMethod.valueOf(entry.getKey().toUpperCase(Locale.ROOT)), url);
          if (token != null) request.bearerTokenAuthentication(token);
          var status = (entry.getKey().equals("get") || entry.getKey().equals("delete") ? request.send()
                  : request.sendJsonObject(new JsonObject()))
              .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).statusCode();
          if (status != 401) open.add(operation + (token == null ? " without a token" : " with a forged token") + ": " + status);
          checked++;
        }
      }
    }
    assertThat(checked).as("operations tried").isGreaterThan(100);
    assertThat(publicOperations).as("operations without authentication are exactly the known public ones")
        .containsExactlyInAnyOrderElementsOf(PUBLIC);
    assertThat(open).as("operations that did not refuse").isEmpty();
  }

  private static JsonObject openApi() throws Exception {
    var client = new PlatformClient(clientVertx, platform.port());
    var response = client.http.get("/api/v1/openapi.json").send().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    var document = response.bodyAsJsonObject();
    assertThat(document.getString("openapi")).startsWith("3.");
    return document;
  }

  private static String serviceName(String service) {
    return service.equals("registry") ? "device-registry-service" : service + "-service";
  }

  /**
   * Whether one of the router's routes takes "METHOD /path/{param}": same method (or a route for every method, such
   * as the SockJS bridge), and a path pattern that matches the documented path with its parameters filled in
   * ({@code :devEui} also takes {@code {devEui}.csv}; {@code /eventbus/*} takes {@code /eventbus/{path}}). A route for
   * every method counts only where no method's route follows it (the SockJS bridge, not an auth handler).
   */
  static boolean serves(Router router, String operation) {
    var method = operation.substring(0, operation.indexOf(' '));
    var path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[A-Za-z0-9_]+}", "x0");
    var routes = router.getRoutes().stream().filter(route -> route.getPath() != null).toList();
    for (var route : routes) {
      var methods = route.methods();
      boolean anyMethod = methods == null || methods.isEmpty();
      if (!anyMethod && methods.stream().noneMatch(m -> m.name().equals(method))) continue;
      // a route for every method in front of others (an auth handler on /api/v1/history/*) serves nothing itself
      if (anyMethod && routes.stream().anyMatch(other -> other != route && other.methods() != null
          && !other.methods().isEmpty() && other.getPath().startsWith(route.getPath()))) continue;
      var pattern = route.getPath().endsWith("/")
          ? Pattern.quote(route.getPath()) + ".*"    // a prefix route (path/*)
          : Arrays.stream(route.getPath().split("/", -1))
              .map(segment -> segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment))
              .collect(Collectors.joining("/"));
      if (path.matches(pattern)) return true;
    }
    return false;
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
