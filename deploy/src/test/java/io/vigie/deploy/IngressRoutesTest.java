package io.vigie.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service serves its own part of {@code /api/v1}: the Ingress must send every route of the public API (its
 * OpenAPI document) to the service that serves it, and the live connections and the dashboard to realtime. Routing
 * is ingress-nginx's with {@code use-regex}: the paths of a host, longest first, each a case-insensitive regular
 * expression anchored at the start; the first that matches wins.
 */
@DisplayName("The Ingress")
class IngressRoutesTest {

  /**
   * Which service serves which public route, read from each service's routes (its api/ package): a path, or a prefix
   * when it has no parameter ("/" alone is exact).
   */
  static final Map<String, String> OWNERS = new LinkedHashMap<>();

  static {
    """
        /api/v1/devices/{devEui}/uplinks     vigie-gateway
        /api/v1/gateways                     vigie-gateway
        /uplinks/                            vigie-gateway
        /api/v1/tools/                       vigie-decoder
        /api/v1/history/                     vigie-enrichment
        /api/v1/alert-rules                  vigie-alert
        /api/v1/alerts                       vigie-alert
        /api/v1/silences                     vigie-alert
        /api/v1/notification-channels        vigie-alert
        /api/v1/nodes/{id}/effective-rules   vigie-alert
        /ws                                  vigie-realtime
        /eventbus/                           vigie-realtime
        /                                    vigie-realtime
        /health/                             vigie-realtime
        /metrics                             vigie-realtime
        """.lines().map(line -> line.trim().split("\\s+")).forEach(row -> OWNERS.put(row[0], row[1]));
  }

  /** Served by the common launcher in every service (through the Ingress: realtime), not by one service's routes. */
  static final java.util.Set<String> EVERY_SERVICE = java.util.Set.of("/health/", "/metrics");

  /** The owner of an OpenAPI path: the first entry of {@link #OWNERS} it starts with, else the registry. */
  static String owner(String openApiPath) {
    return OWNERS.entrySet().stream().filter(e -> openApiPath.equals(e.getKey())
            || !e.getKey().contains("{") && !e.getKey().equals("/") && openApiPath.startsWith(e.getKey()))
        .map(Map.Entry::getValue).findFirst().orElse("vigie-device-registry");
  }

  static final Map<String, String> MODULES = Map.of("vigie-gateway", "gateway-service", "vigie-decoder", "decoder-service",
      "vigie-enrichment", "enrichment-service", "vigie-alert", "alert-service", "vigie-device-registry",
      "device-registry-service", "vigie-realtime", "realtime-service");

  static Stream<Manifests> overlays() {
    return OverlaysTest.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("sends every route of the public API (its OpenAPI document) to the service that serves it")
  void apiRoutes(Manifests overlay) throws IOException {
    var routes = routes(overlay);
    var openApi = Manifests.STRICT.readTree(Files.readString(Manifests.ROOT.resolve(
        "device-registry-service/src/main/resources/io/vigie/registry/openapi.json")));
    var paths = new TreeSet<String>();
    openApi.path("paths").propertyNames().forEach(paths::add);
    assertThat(paths).hasSizeGreaterThan(30);
    for (var path : paths) {
      var expected = owner(path);
      var request = path.replace("{devEui}", "70b3d57ed0000001").replaceAll("\\{[^}]+}", "x-1");
      assertThat(route(routes, request)).as("%s: %s", overlay, request).isEqualTo(expected);
      // the owner really declares that part of the API
      if (EVERY_SERVICE.stream().anyMatch(path::startsWith)) continue;
      var prefix = path.startsWith("/api/v1/") ? "/api/v1/" + path.split("/")[3] : path.replaceAll("\\{.*", "");
      assertThat(sourcesOf(MODULES.get(expected))).as("%s serves %s", expected, path).contains("\"" + prefix);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("sends uplinks to the gateway, and live connections, the dashboard and anything else to realtime")
  void otherRoutes(Manifests overlay) {
    var routes = routes(overlay);
    for (var uplinks : List.of("/uplinks/chirpstack", "/uplinks/ttn", "/uplinks/thingpark")) {
      assertThat(route(routes, uplinks)).as(uplinks).isEqualTo("vigie-gateway");
    }
    for (var live : List.of("/ws", "/eventbus/info", "/eventbus/123/abc/websocket", "/", "/app/app.js", "/webjars/x.js")) {
      assertThat(route(routes, live)).as(live).isEqualTo("vigie-realtime");
    }
  }

  /** Every path of the overlay's Ingresses (one host), longest first, with the Service it goes to. */
  static List<Map.Entry<Pattern, String>> routes(Manifests overlay) {
    var ingresses = overlay.all(Ingress.class);
    assertThat(ingresses).allSatisfy(i -> {
      assertThat(i.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/use-regex", "true");
      assertThat(i.getSpec().getIngressClassName()).isEqualTo("nginx");
    });
    var routes = new ArrayList<Map.Entry<String, String>>();
    for (var ingress : ingresses) {
      for (var rule : ingress.getSpec().getRules()) {
        for (var path : rule.getHttp().getPaths()) {
          assertThat(path.getPathType()).isEqualTo("ImplementationSpecific");
          assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
          routes.add(Map.entry(path.getPath(), path.getBackend().getService().getName()));
        }
      }
    }
    return routes.stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
        .map(e -> Map.entry(Pattern.compile("^" + e.getKey(), Pattern.CASE_INSENSITIVE), e.getValue())).toList();
  }

  static String route(List<Map.Entry<Pattern, String>> routes, String path) {
    return routes.stream().filter(r -> r.getKey().matcher(path).find()).map(Map.Entry::getValue).findFirst().orElse("none");
  }

  private static final Map<String, String> SOURCES = new java.util.concurrent.ConcurrentHashMap<>();

  private static String sourcesOf(String module) {
    return SOURCES.computeIfAbsent(module, m -> {
      try (var files = Files.walk(Manifests.ROOT.resolve(m).resolve("src/main/java"))) {
        var text = new StringBuilder();
        for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) text.append(Files.readString(file));
        return text.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
