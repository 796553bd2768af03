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
 * Verifies Vigie tokens with the registry's public keys, fetched over the event bus
 * ({@link Addresses#REGISTRY_JWKS}) and kept; fetched again when a token names a key id not seen yet
 * (a new signing key), at most every 30 s. No service but the registry holds the private key.
 */
public final class TokenVerifier {
  public static final String ISSUER = "vigie";

  static final long REFRESH_INTERVAL_MS = 30_000;

  private final Vertx vertx;
  private final long refreshIntervalMs;
  private Future<JWTAuth> auth;
  private volatile java.util.Set<String> knownKids = java.util.Set.of();
  private long lastFetch;

  public TokenVerifier(Vertx vertx) {
    this(vertx, REFRESH_INTERVAL_MS);
  }

  TokenVerifier(Vertx vertx, long refreshIntervalMs) {
    this.vertx = vertx;
    this.refreshIntervalMs = refreshIntervalMs;
  }

  /** The principal of a valid token; fails for a forged, expired, unsigned or foreign token. */
  public Future<VigiePrincipal> verify(String token) {
    if (token == null || token.isBlank()) return Future.failedFuture(new SecurityException("no token"));
    return auth().compose(jwt -> jwt.authenticate(new TokenCredentials(token))
            .recover(failure -> unknownKey(token) ? refreshed().compose(fresh -> fresh.authenticate(new TokenCredentials(token)))
                : Future.failedFuture(failure)))
        .map(user -> VigiePrincipal.fromClaims(user.principal()));
  }

  private synchronized Future<JWTAuth> auth() {
    if (auth == null || auth.failed()) auth = fetch();
    return auth;
  }

  /**
   * The keys again, when a token names a key id not seen yet (the registry published a new key): at most once
   * every {@link #REFRESH_INTERVAL_MS}, so forged key ids cannot make every request ask the registry.
   */
  private synchronized Future<JWTAuth> refreshed() {
    var now = System.currentTimeMillis();
    if (now - lastFetch >= refreshIntervalMs) auth = fetch();
    return auth;
  }

  private boolean unknownKey(String token) {
    var kid = kid(token);
    return kid != null && !knownKids.contains(kid);
  }

  private Future<JWTAuth> fetch() {
    lastFetch = System.currentTimeMillis();
    return vertx.eventBus().<JsonObject>request(Addresses.REGISTRY_JWKS, new JsonObject(),
            new DeliveryOptions().setSendTimeout(10_000))
        .map(reply -> {
          var options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5));
          var kids = new java.util.HashSet<String>();
          reply.body().getJsonArray("keys").forEach(key -> {
            options.addJwk((JsonObject) key);
            var kid = ((JsonObject) key).getString("kid");
            if (kid != null) kids.add(kid);
          });
          knownKids = java.util.Set.copyOf(kids);
          return JWTAuth.create(vertx, options);
        });
  }

  /** The {@code kid} of a JWT's header, without trusting anything else of it; null when there is none. */
  static String kid(String token) {
    var dot = token.indexOf('.');
    if (dot <= 0) return null;
    try {
      var header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, dot)),
          java.nio.charset.StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? kid : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
