package io.vigie.registry.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.registry.store.KeyFiles.KeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs Vigie access tokens (ES256, header {@code kid}) with the key ring's current key and publishes the public
 * keys that verify them: the current one and the retired ones whose tokens may still be valid. Services verify
 * with {@link TokenVerifier}, which fetches the keys again when a token names a key id it has not seen.
 */
public final class TokenIssuer {
  private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

  private record State(KeyRing ring, JWTAuth jwt) {}

  private final Vertx vertx;
  private final int ttlSeconds;
  private volatile State state;

  public TokenIssuer(Vertx vertx, KeyRing ring, int ttlSeconds) {
    this.vertx = vertx;
    this.ttlSeconds = ttlSeconds;
    this.state = state(ring);
  }

  private State state(KeyRing ring) {
    var key = ring.current();
    return new State(ring, JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("ES256").setId(key.kid()).setBuffer(key.pem()))));
  }

  /** Signs with {@code ring}'s current key from now on and publishes its keys (no-op when they are the same). */
  public void use(KeyRing ring) {
    var before = state.ring();
    if (before.kids().equals(ring.kids())) return;
    state = state(ring);
    LOG.info("JWT signing key {}; published keys {}", ring.current().kid(), ring.kids());
  }

  /** A token whose claims are {@code iss}, {@code iat}, {@code exp} and {@link VigiePrincipal#claims()}. */
  public String issue(VigiePrincipal principal) {
    return state.jwt().generateToken(principal.claims(), new JWTOptions().setAlgorithm("ES256")
        .setIssuer(TokenVerifier.ISSUER).setExpiresInSeconds(ttlSeconds));
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** The current key's id. */
  public String kid() {
    return state.ring().current().kid();
  }

  /** {@code {"keys":[JWK…]}}: what {@code /.well-known/jwks.json} and {@code registry.jwks} answer. */
  public JsonObject jwks() {
    var ring = state.ring();
    var keys = new JsonArray().add(ring.current().publicJwk());
    ring.retired().forEach(key -> keys.add(key.publicJwk()));
    return new JsonObject().put("keys", keys);
  }
}
