package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.registry.api.OpenApiRoutes;
import io.vigie.testing.RealRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("The OpenAPI document")
class OpenApiTest {
  private static final String REGISTRY = "device-registry-service";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

  private static Vertx vertx;
  private static Router router;
  private static JsonObject document;
  private static String url;

  @BeforeAll
  static void deploy(EmbeddedRedis redis) throws IOException {
    url = redis.url() + "/15";
    RegistryFixture.flush(url);
    vertx = Vertx.vertx();
    var raw = await(ConfigLoader.load(vertx, Map.of(), RegistryFixture.overrides(url, RegistryFixture.tempDir(),
        new JsonObject().put("auth", new JsonObject().put("adminPassword", RegistryFixture.ADMIN_PASSWORD)))));
    router = await(new RegistryService().deploy(vertx, VigieConfig.from(raw),
        new ServiceContext("registry", HealthChecks.create(vertx), new SimpleMeterRegistry())));
    try (var in = OpenApiTest.class.getResourceAsStream(OpenApiRoutes.RESOURCE)) {
      assertThat(in).as("the document is a resource of the registry").isNotNull();
      document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  /** "METHOD /path/{param}" of every route of the registry's real router. */
  private static Set<String> routerOperations() {
    var out = new TreeSet<String>();
    for (var route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null) continue;
      var path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      route.methods().forEach(method -> out.add(method.name() + " " + path));
    }
    return out;
  }

  private static Set<String> documentOperations(String service) {
    var out = new TreeSet<String>();
    var paths = document.getJsonObject("paths");
    for (var path : paths.fieldNames()) {
      var item = paths.getJsonObject(path);
      for (var method : item.fieldNames()) {
        if (!METHODS.contains(method)) continue;
        if (service == null || service.equals(item.getJsonObject(method).getString("x-vigie-service"))) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("every route of the registry's router is in the document with its method and path, and nothing more")
  void matchesRouter() {
    var routes = routerOperations();
    assertThat(routes).as("the router has the registry's routes").contains("GET /api/v1/nodes/{id}/tree",
        "POST /api/v1/devices/import", "POST /api/v1/clients", "GET /api/v1/openapi.json", "POST /api/v1/auth/token");
    assertThat(documentOperations(REGISTRY)).isEqualTo(routes);
  }

  @Test
  @DisplayName("the document covers every service's routes, not only the registry's (the platform's ApiContractTest checks they are served)")
  void wholeContract() {
    assertThat(documentOperations(null)).contains("POST /uplinks/chirpstack", "POST /uplinks/ttn", "POST /uplinks/thingpark",
        "GET /api/v1/gateways", "GET /api/v1/history/devices/{devEui}", "GET /api/v1/history/devices/{devEui}.csv",
        "GET /api/v1/history/nodes/{id}/latest", "GET /api/v1/alerts", "GET /api/v1/alerts/{id}",
        "POST /api/v1/tools/lorawan/decode", "POST /api/v1/tools/decode", "GET /eventbus/{path}", "GET /ws", "GET /health/live",
        "GET /health/ready", "GET /metrics", "GET /.well-known/jwks.json");
    var services = new TreeSet<String>();
    var paths = document.getJsonObject("paths");
    paths.fieldNames().forEach(p -> paths.getJsonObject(p).forEach(e -> {
      if (METHODS.contains(e.getKey())) services.add(((JsonObject) e.getValue()).getString("x-vigie-service"));
    }));
    assertThat(services).containsExactlyInAnyOrder(REGISTRY, "gateway-service", "enrichment-service", "alert-service",
        "decoder-service", "realtime-service", "every service");
  }

  @Test
  @DisplayName("the document is well-formed OpenAPI 3: required keys, resolvable $refs, declared path parameters, unique operation ids")
  void wellFormed() {
    assertThat(document.getString("openapi")).startsWith("3.");
    assertThat(document.getJsonObject("info").getString("title")).isNotBlank();
    assertThat(document.getJsonObject("info").getString("version")).isNotBlank();
    assertThat(document.getJsonObject("paths")).isNotEmpty();

    var refs = new ArrayList<String>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (var ref : refs) {
      assertThat(ref).startsWith("#/");
      Object at = document;
      for (var part : ref.substring(2).split("/")) at = ((JsonObject) at).getValue(part);
      assertThat(at).as("$ref %s resolves", ref).isInstanceOf(JsonObject.class);
    }

    var operationIds = new ArrayList<String>();
    var paths = document.getJsonObject("paths");
    for (var path : paths.fieldNames()) {
      var templated = new TreeSet<String>();
      TEMPLATE.matcher(path).results().forEach(m -> templated.add(m.group(1)));
      paths.getJsonObject(path).forEach(entry -> {
        if (!METHODS.contains(entry.getKey())) return;
        var operation = (JsonObject) entry.getValue();
        assertThat(operation.getJsonObject("responses")).as("%s %s has responses", entry.getKey(), path).isNotEmpty();
        operationIds.add(operation.getString("operationId"));
        var declared = new TreeSet<String>();
        for (var p : operation.getJsonArray("parameters", new JsonArray())) {
          var parameter = resolve((JsonObject) p);
          if ("path".equals(parameter.getString("in"))) declared.add(parameter.getString("name"));
        }
        assertThat(declared).as("path parameters of %s %s", entry.getKey(), path).isEqualTo(templated);
      });
    }
    assertThat(operationIds).doesNotContainNull().doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("the document validates against the OpenAPI 3.0 meta-schema, and its references resolve")
  void validatesAsOpenApi() {
    var version = OpenAPIVersion.fromContract(document);
    assertThat(version).isEqualTo(OpenAPIVersion.V3_0);
    var repository = await(version.getRepository(vertx, "app:///"));
    var result = await(version.validateContract(vertx, repository, document));
    assertThat(result.getValid()).as("%s", result.getErrors()).isTrue();
    assertThat(await(version.resolve(vertx, repository, document)).getJsonObject("paths")).isNotEmpty();

    // the validator can fail: a document whose operation has no responses is refused
    var broken = document.copy();
    broken.getJsonObject("paths").getJsonObject("/api/v1/nodes").getJsonObject("post").put("responses", "none");
    assertThat(await(version.validateContract(vertx, repository, broken)).getValid()).isFalse();
  }

  @Test
  @DisplayName("GET /api/v1/openapi.json serves the document without a token")
  void served(EmbeddedRedis redis) {
    try (var registry = RegistryFixture.launchOn(url, RegistryFixture.tempDir(),
        new JsonObject().put("auth", new JsonObject().put("adminPassword", RegistryFixture.ADMIN_PASSWORD)))) {
      var response = registry.get("/api/v1/openapi.json", null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      assertThat(response.bodyAsJsonObject()).isEqualTo(document);
    }
  }

  private static JsonObject resolve(JsonObject maybeRef) {
    var ref = maybeRef.getString("$ref");
    if (ref == null) return maybeRef;
    Object at = document;
    for (var part : ref.substring(2).split("/")) at = ((JsonObject) at).getValue(part);
    return (JsonObject) at;
  }

  private static void collectRefs(Object node, java.util.List<String> refs) {
    if (node instanceof JsonObject object) {
      object.forEach(e -> {
        if (e.getKey().equals("$ref") && e.getValue() instanceof String ref) refs.add(ref);
        else collectRefs(e.getValue(), refs);
      });
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> collectRefs(v, refs));
    }
  }
}
