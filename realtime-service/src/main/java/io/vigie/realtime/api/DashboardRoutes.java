package io.vigie.realtime.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard (the {@code dashboard} module's static files) at {@code /}: {@code GET /} is its shell,
 * {@code /app/*} its ES modules, {@code /webjars/*} the browser libraries it imports. The shell and the
 * modules are revalidated on every load ({@code no-cache} with an ETag, so a new release is picked up at
 * once); WebJar files have their version in their path and are cached for a year ({@code immutable}).
 * Files are read from the class path once (off the event loop) and kept in memory: the whole dashboard
 * with its libraries is under 1 MB.
 */
public final class DashboardRoutes {
  static final String APP_ROOT = "io/vigie/dashboard/webroot/";
  static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
  static final String REVALIDATE = "no-cache";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "png", "image/png", "json", "application/json", "map", "application/json");

  private final Vertx vertx;
  private final String root;
  private final String cacheControl;
  /** Files found, by class-path name; files not found are looked up again (a crawler cannot fill the map). */
  private final Map<String, Future<File>> files = new ConcurrentHashMap<>();

  /** {@code csp}: the Content-Security-Policy of an HTML page, null for other files. */
  private record File(Buffer body, String type, String etag, String csp) {}

  /**
   * Scripts only from this origin, plus the page's inline import map by its hash; {@code 'unsafe-eval'} because
   * Vue compiles the components' templates in the browser (no inline script or handler is allowed, so injected
   * markup cannot run); no plug-ins, no framing, no foreign connections.
   */
  static final String CSP = "default-src 'none'; script-src 'self' %s 'unsafe-eval'; style-src 'self'; "
      + "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'; object-src 'none'";
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);

  private DashboardRoutes(Vertx vertx, String root, String cacheControl) {
    this.vertx = vertx;
    this.root = root;
    this.cacheControl = cacheControl;
  }

  /** Mounts the dashboard's routes on {@code router}. */
  public static void mount(Vertx vertx, Router router) {
    var app = new DashboardRoutes(vertx, APP_ROOT, REVALIDATE);
    var libraries = new DashboardRoutes(vertx, WEBJARS_ROOT, IMMUTABLE);
    router.get("/").handler(ctx -> app.serve(ctx, "index.html"));
    // routes for any method (GET and HEAD served here, others passed on): files, not API operations
    router.route("/app/*").handler(ctx -> app.serve(ctx, ctx.pathParam("*")));
    router.route("/webjars/*").handler(ctx -> libraries.serve(ctx, ctx.pathParam("*")));
  }

  private void serve(RoutingContext ctx, String name) {
    var method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    if (name == null || name.isEmpty() || name.contains("..") || name.contains("//") || name.startsWith("/")
        || name.contains("\\")) {
      ctx.fail(404);
      return;
    }
    file(name).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(404);
        return;
      }
      var file = found.get();
      var response = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
          .putHeader(HttpHeaders.ETAG, file.etag()).putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY");
      if (file.csp() != null) response.putHeader("Content-Security-Policy", file.csp());
      if (file.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
        response.setStatusCode(304).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, file.type());
      if (method == HttpMethod.HEAD) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(file.body().length())).end();
      } else {
        response.end(file.body());
      }
    }).onFailure(ctx::fail);
  }

  private Future<Optional<File>> file(String name) {
    var known = files.get(name);
    if (known != null) return known.map(Optional::of);
    return vertx.executeBlocking(() -> read(root + name)).map(read -> {
      read.ifPresent(file -> files.putIfAbsent(name, Future.succeededFuture(file)));
      return read;
    });
  }

  private static Optional<File> read(String resource) {
    var dot = resource.lastIndexOf('.');
    var type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
    if (type == null) return Optional.empty();
    try (var in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      var bytes = in.readAllBytes();
      return Optional.of(new File(Buffer.buffer(bytes), type, etag(bytes),
          resource.endsWith(".html") ? csp(new String(bytes, StandardCharsets.UTF_8)) : null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #CSP} allowing the page's inline import maps by their SHA-256. */
  static String csp(String html) {
    var hashes = new StringBuilder();
    var scripts = INLINE_SCRIPT.matcher(html);
    while (scripts.find()) {
      try {
        var digest = MessageDigest.getInstance("SHA-256").digest(scripts.group(1).getBytes(StandardCharsets.UTF_8));
        hashes.append(hashes.length() == 0 ? "" : " ").append("'sha256-").append(Base64.getEncoder().encodeToString(digest)).append('\'');
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return CSP.formatted(hashes);
  }

  private static String etag(byte[] bytes) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
