package io.vigie.gateway.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the integration secret of a network server: {@code Authorization: Bearer <secret>} or
 * {@code ?token=<secret>}. Comparison in constant time (of SHA-256 digests, so the length of the
 * secret does not leak either). Synchronous, so it may run before the {@code BodyHandler}: a
 * request without the secret is refused before its body is read.
 */
public final class IngestAuth implements Handler<RoutingContext> {
  /** Routing-context key of the rejection reason, read by the metrics failure handler. */
  public static final String REJECTION = "vigie.rejection";

  private final byte[] expected;

  public IngestAuth(String secret) {
    this.expected = sha256(secret);
  }

  @Override
  public void handle(RoutingContext ctx) {
    var presented = presented(ctx);
    if (presented == null) {
      ctx.put(REJECTION, "unauthorized");
      ctx.fail(ApiException.unauthorized("the integration secret is missing: send 'Authorization: Bearer <secret>' or '?token=<secret>'"));
    } else if (!MessageDigest.isEqual(expected, sha256(presented))) {
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

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
