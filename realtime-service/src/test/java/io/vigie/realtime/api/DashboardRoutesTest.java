package io.vigie.realtime.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.realtime.RealtimeService;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard as the realtime service serves it: the shell, its modules, the WebJars, and their cache headers. */
@DisplayName("The dashboard's files")
class DashboardRoutesTest {
  private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"(/[^\"]+)\"|\"(/webjars/[^\"]+)\"");
  private static final Pattern IMPORT = Pattern.compile("(?:import|from)\\s+'(\\./[^']+|\\.\\./[^']+)'");
  private static ServiceLauncher.Running running;
  private static WebClient http;

  @BeforeAll
  static void launch() throws Exception {
    running = ServiceLauncher.launch(List.of(new RealtimeService()), Map.of(),
        new JsonObject().put("http", new JsonObject().put("port", 0))).await(60, SECONDS);
    http = WebClient.create(running.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) running.stop().await(30, SECONDS);
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return http.get(path).send().await(30, SECONDS);
  }

  @Test
  @DisplayName("GET / is the shell, revalidated on every load (no-cache, ETag), and answers 304 to its own ETag")
  void shell() throws Exception {
    var shell = get("/");
    assertThat(shell.statusCode()).isEqualTo(200);
    assertThat(shell.getHeader("Content-Type")).startsWith("text/html");
    assertThat(shell.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(shell.getHeader("ETag")).matches("\"[0-9a-f]{24}\"");
    assertThat(shell.bodyAsString()).contains("<script type=\"importmap\">", "/app/app.js").doesNotContain("${");

    var again = http.get("/").putHeader("If-None-Match", shell.getHeader("ETag")).send().await(30, SECONDS);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isNull();
  }

  @Test
  @DisplayName("every file the shell names exists: the WebJars cached for a year (immutable), the app's files revalidated")
  void everyAssetOfTheShell() throws Exception {
    var matcher = ASSET.matcher(get("/").bodyAsString());
    var assets = new LinkedHashSet<String>();
    while (matcher.find()) assets.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    assertThat(assets).anyMatch(a -> a.startsWith("/webjars/vue/")).anyMatch(a -> a.startsWith("/webjars/uplot/"))
        .anyMatch(a -> a.startsWith("/webjars/sockjs-client/")).contains("/app/app.js", "/app/styles.css");
    for (var asset : assets) {
      var response = get(asset);
      assertThat(response.statusCode()).as(asset).isEqualTo(200);
      assertThat(response.getHeader("Cache-Control")).as(asset)
          .isEqualTo(asset.startsWith("/webjars/") ? "public, max-age=31536000, immutable" : "no-cache");
      assertThat(response.getHeader("Content-Type")).as(asset).matches("text/(javascript|css); charset=utf-8");
    }
  }

  @Test
  @DisplayName("every module app.js imports, and every module they import, is served as JavaScript; the dictionaries as JSON")
  void everyModuleResolves() throws Exception {
    var seen = new LinkedHashSet<String>();
    var pending = new ArrayDeque<>(List.of("/app/app.js"));
    while (!pending.isEmpty()) {
      var module = pending.poll();
      if (!seen.add(module)) continue;
      var response = get(module);
      assertThat(response.statusCode()).as(module).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).as(module).startsWith("text/javascript");
      var imports = IMPORT.matcher(response.bodyAsString());
      while (imports.find()) pending.add(java.net.URI.create("http://x" + module).resolve(imports.group(1)).getPath());
    }
    assertThat(seen).contains("/app/api.js", "/app/live.js", "/app/i18n.js",
        "/app/views/wall-view.js", "/app/views/fridge-view.js", "/app/views/alerts-view.js", "/app/components/history-chart.js");
    for (var language : List.of("en", "fr")) {
      var dictionary = get("/app/i18n/" + language + ".json");
      assertThat(dictionary.statusCode()).isEqualTo(200);
      assertThat(dictionary.getHeader("Cache-Control")).isEqualTo("no-cache");
      assertThat(dictionary.bodyAsJsonObject().getString("wall")).isNotBlank();
    }
  }

  @Test
  @DisplayName("nothing else is served: unknown files, paths climbing out of the web root, other methods")
  void nothingElse() throws Exception {
    for (var path : Set.of("/app/nothing.js", "/app/../../META-INF/MANIFEST.MF", "/app/%2e%2e/pom.xml", "/app/",
        "/webjars/vue/3.5.13/package.json.gz", "/app/i18n")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    var post = http.request(HttpMethod.POST, "/app/app.js").send().await(30, SECONDS);
    assertThat(post.statusCode()).isIn(404, 405);
    var head = http.request(HttpMethod.HEAD, "/app/app.js").send().await(30, SECONDS);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(get("/app/app.js").body().length()));
  }

  @Test
  @DisplayName("the shell carries a strict Content-Security-Policy allowing its import map by hash, and denies framing and sniffing")
  void securityHeaders() throws Exception {
    var shell = get("/");
    var csp = shell.getHeader("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")
        .doesNotContain("unsafe-inline");
    var importMap = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL)
        .matcher(shell.bodyAsString());
    assertThat(importMap.find()).isTrue();
    var hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
        .digest(importMap.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(csp).contains("script-src 'self' 'sha256-" + hash + "'");
    for (var path : List.of("/", "/app/app.js", "/health/live")) {
      var response = get(path);
      assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
    }
  }

  @Test
  @DisplayName("CORS is closed by default: no Access-Control-Allow-Origin for another origin, preflights refused")
  void corsClosed() throws Exception {
    var simple = http.get("/health/live").putHeader("Origin", "https://evil.example").send().await(30, SECONDS);
    assertThat(simple.statusCode()).isEqualTo(200);
    assertThat(simple.getHeader("Access-Control-Allow-Origin")).isNull();
    var preflight = http.request(HttpMethod.OPTIONS, "/api/v1/live/ws").putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "GET").send().await(30, SECONDS);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
  }
}
