package io.vigie.common.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vigie.common.config.VigieConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What every HTTP answer of every service gets, installed once on the root router by the launcher:
 * <ul>
 *   <li>the client's address ({@link #clientAddress}): the connection's peer, or, when {@code http.trustedProxies}
 *       ({@code VIGIE_HTTP_TRUSTED_PROXIES}) is N &gt; 0, the address N entries from the right of
 *       {@code X-Forwarded-For} (what the N proxies in front, e.g. the Kubernetes Ingress, appended; entries a
 *       client wrote itself are further left and ignored);</li>
 *   <li>CORS closed: no {@code Access-Control-Allow-*} header unless the request's {@code Origin} is one of
 *       {@code http.corsOrigins} ({@code VIGIE_CORS_ORIGINS}, comma-separated, e.g.
 *       {@code https://ops.example.com}); preflights from other origins get 403;</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} and
 *       {@code Referrer-Policy: no-referrer} (the dashboard adds its Content-Security-Policy).</li>
 * </ul>
 */
public final class HttpEdge {
  private static final String CLIENT_ADDRESS = "vigie.clientAddress";

  /** Settings read from the configuration tree. */
  public record Settings(int trustedProxies, List<String> corsOrigins) {
    public static Settings from(JsonObject raw) {
      var hops = VigieConfig.integer(raw, "http.trustedProxies", 0);
      if (hops < 0 || hops > 10) {
        throw new IllegalArgumentException("http.trustedProxies (VIGIE_HTTP_TRUSTED_PROXIES) must be 0..10, got " + hops);
      }
      var origins = Arrays.stream(VigieConfig.stringAt(raw, "http.corsOrigins", "").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).toList();
      for (var origin : origins) {
        if (!origin.matches("https?://[A-Za-z0-9.\\-]+(:\\d+)?")) {
          throw new IllegalArgumentException("http.corsOrigins (VIGIE_CORS_ORIGINS): '" + origin
              + "' is not an origin such as https://ops.example.com (no path, no wildcard)");
        }
      }
      return new Settings(hops, origins);
    }
  }

  private HttpEdge() {}

  /** Installs the handlers first on {@code router}. */
  public static void install(Router router, Settings settings) {
    router.route().order(-1000).handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "no-referrer");
      if (settings.trustedProxies() > 0) {
        var forwarded = forwardedAddress(ctx.request().headers().getAll("X-Forwarded-For"), settings.trustedProxies());
        if (forwarded != null) ctx.put(CLIENT_ADDRESS, forwarded);
      }
      ctx.next();
    });
    if (!settings.corsOrigins().isEmpty()) {
      router.route().order(-999).handler(CorsHandler.create().addOrigins(settings.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "If-Match"))
          .exposedHeaders(Set.of("ETag", "Location", "Retry-After"))
          .maxAgeSeconds(600));
    }
  }

  /** Where the request comes from: see the class comment. */
  public static String clientAddress(RoutingContext ctx) {
    String forwarded = ctx.get(CLIENT_ADDRESS);
    if (forwarded != null) return forwarded;
    var remote = ctx.request().remoteAddress();
    return remote == null ? "unknown" : remote.host();
  }

  /** The entry {@code hops} from the right of all the X-Forwarded-For headers; null when there are fewer. */
  static String forwardedAddress(List<String> headers, int hops) {
    var entries = headers.stream().flatMap(h -> Arrays.stream(h.split(","))).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    if (entries.size() < hops) return null;
    var address = entries.get(entries.size() - hops);
    return address.length() > 64 || !address.matches("[0-9A-Fa-f.:\\[\\]]+") ? null : address;
  }
}
