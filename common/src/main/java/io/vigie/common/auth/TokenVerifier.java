package io.vigie.common.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vigie.common.Addresses;

/**
 * Verifies Vigie tokens with the registry's public keys, fetched once over the event bus
 * ({@link Addresses#REGISTRY_JWKS}) and kept. No service but the registry holds the private key.
 */
public final class TokenVerifier {
  public static final String ISSUER = "vigie";

  private final Vertx vertx;
  private Future<JWTAuth> auth;

  public TokenVerifier(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The principal of a valid token; fails for a forged, expired, unsigned or foreign token. */
  public Future<VigiePrincipal> verify(String token) {
    if (token == null || token.isBlank()) return Future.failedFuture(new SecurityException("no token"));
    return auth().compose(jwt -> jwt.authenticate(new TokenCredentials(token)))
        .map(user -> VigiePrincipal.fromClaims(user.principal()));
  }

  private synchronized Future<JWTAuth> auth() {
    if (auth == null || auth.failed()) {
      auth = vertx.eventBus().<JsonObject>request(Addresses.REGISTRY_JWKS, new JsonObject(),
              new DeliveryOptions().setSendTimeout(10_000))
          .map(reply -> {
            var options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5));
            reply.body().getJsonArray("keys").forEach(key -> options.addJwk((JsonObject) key));
            return JWTAuth.create(vertx, options);
          });
    }
    return auth;
  }
}
