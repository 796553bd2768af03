package io.vigie.gateway.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.http.ApiException;

/**
 * Checks the integration secret of a network server: {@code Authorization: Bearer <secret>} or
 * {@code ?token=<secret>}. Comparison in constant time: its time depends on the presented value's length only (every
 * presented character is compared, against the secret's characters taken round), so neither the secret nor its
 * length leaks; no digest per request. Synchronous, so it may run before the {@code BodyHandler}: a
 * request without the secret is refused before its body is read.
 */
public final class IngestAuth implements Handler<RoutingContext> {
  /** Routing-context key of the rejection reason, read by the metrics failure handler. */
  public static final String REJECTION = "vigie.rejection";

  private final char[] expected;

  public IngestAuth(String secret) {
    this.expected = secret.toCharArray();
  }

  @Override
  public void handle(RoutingContext ctx) {
    var presented = presented(ctx);
    if (presented == null) {
      ctx.put(REJECTION, "unauthorized");
      ctx.fail(ApiException.unauthorized("the integration secret is missing: send 'Authorization: Bearer <secret>' or '?token=<secret>'"));
    } else if (!matches(presented)) {
      ctx.put(REJECTION, "unauthorized");
      ctx.fail(ApiException.unauthorized("the integration secret is wrong"));
    } else {
      ctx.next();
    }
  }

  private static String presented(RoutingContext ctx) {
    var header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      var token = header.substring(7).trim();
      if (!token.isEmpty()) return token;
    }
    var query = ctx.request().getParam("token");
    return query == null || query.isEmpty() ? null : query;
  }

  /** True when {@code presented} is the secret; as long for every value of the same length, whatever it matches. */
  public boolean matches(String presented) {
    return matches(expected, presented);
  }

  private static boolean matches(char[] expected, String presented) {
    int difference = expected.length ^ presented.length();
    if (expected.length == 0) return difference == 0;
    for (int i = 0; i < presented.length(); i++) difference |= presented.charAt(i) ^ expected[i % expected.length];
    return difference == 0;
  }
}
