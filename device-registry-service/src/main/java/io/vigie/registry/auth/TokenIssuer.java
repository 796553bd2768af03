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
import io.vigie.registry.domain.SigningKey;
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

  /** The keys published, and the one signing (the ring's current key, or its predecessor for a while). */
  private record State(KeyRing ring, SigningKey signing, JWTAuth jwt) {}

  private final Vertx vertx;
  private final int ttlSeconds;
  private final long publishAheadMs;
  private volatile State state;

  /**
   * @param publishAheadMs how long a new key is published before it signs, so that every service's verifier has
   *                       fetched it (they fetch at most every 30 s) before the first token naming it arrives
   */
  public TokenIssuer(Vertx vertx, KeyRing ring, int ttlSeconds, long publishAheadMs) {
    this.vertx = vertx;
    this.ttlSeconds = ttlSeconds;
    this.publishAheadMs = publishAheadMs;
    this.state = state(ring, ring.current());
  }

  private State state(KeyRing ring, SigningKey signing) {
    return new State(ring, signing, JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("ES256").setId(signing.kid()).setBuffer(signing.pem()))));
  }

  /**
   * Publishes {@code ring}'s keys at once (no-op when they are the same); a new current key signs
   * {@code publishAheadMs} later, the key it replaces meanwhile.
   */
  public void use(KeyRing ring) {
    var before = state;
    if (before.ring().kids().equals(ring.kids())) return;
    var previous = before.signing();
    var stillPublished = ring.retired().stream().anyMatch(key -> key.kid().equals(previous.kid()));
    if (!previous.kid().equals(ring.current().kid()) && stillPublished && publishAheadMs > 0) {
      state = state(ring, previous);
      vertx.setTimer(publishAheadMs, id -> {
        if (state.ring() == ring) state = state(ring, ring.current());
        LOG.info("JWT signing key {} signs new tokens", ring.current().kid());
      });
    } else {
      state = state(ring, ring.current());
    }
    LOG.info("JWT keys published {}; the new key {} signs in {} ms", ring.kids(), ring.current().kid(), publishAheadMs);
  }

  /** A token whose claims are {@code iss}, {@code iat}, {@code exp} and {@link VigiePrincipal#claims()}. */
  public String issue(VigiePrincipal principal) {
    return state.jwt().generateToken(principal.claims(), new JWTOptions().setAlgorithm("ES256")
        .setIssuer(TokenVerifier.ISSUER).setExpiresInSeconds(ttlSeconds));
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** The id of the key signing new tokens. */
  public String kid() {
    return state.signing().kid();
  }

  /** {@code {"keys":[JWK…]}}: what {@code /.well-known/jwks.json} and {@code registry.jwks} answer. */
  public JsonObject jwks() {
    var ring = state.ring();
    var keys = new JsonArray().add(ring.current().publicJwk());
    ring.retired().forEach(key -> keys.add(key.publicJwk()));
    return new JsonObject().put("keys", keys);
  }
}
