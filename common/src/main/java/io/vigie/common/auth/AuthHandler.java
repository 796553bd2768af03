package io.vigie.common.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.http.ApiException;

/** Requires {@code Authorization: Bearer <JWT>} and puts the {@link VigiePrincipal} in the context. */
public final class AuthHandler implements Handler<RoutingContext> {
  private static final String KEY = "vigie.principal";
  private final TokenVerifier verifier;

  public AuthHandler(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    var header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(ApiException.unauthorized("Authorization: Bearer <token> is required"));
      return;
    }
    verifier.verify(header.substring(7).trim())
        .onSuccess(principal -> {
          ctx.put(KEY, principal);
          ctx.next();
        })
        .onFailure(e -> ctx.fail(ApiException.unauthorized("invalid or expired token")));
  }

  public static VigiePrincipal principal(RoutingContext ctx) {
    VigiePrincipal principal = ctx.get(KEY);
    if (principal == null) throw ApiException.unauthorized("not authenticated");
    return principal;
  }
}
