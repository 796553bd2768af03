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

/** Signs Vigie access tokens (ES256, header {@code kid}) and publishes the key that verifies them. */
public final class TokenIssuer {
  private final JWTAuth jwt;
  private final SigningKey key;
  private final int ttlSeconds;

  public TokenIssuer(Vertx vertx, SigningKey key, int ttlSeconds) {
    this.key = key;
    this.ttlSeconds = ttlSeconds;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("ES256").setId(key.kid()).setBuffer(key.pem())));
  }

  /** A token whose claims are {@code iss}, {@code iat}, {@code exp} and {@link VigiePrincipal#claims()}. */
  public String issue(VigiePrincipal principal) {
    return jwt.generateToken(principal.claims(), new JWTOptions().setAlgorithm("ES256")
        .setIssuer(TokenVerifier.ISSUER).setExpiresInSeconds(ttlSeconds));
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** {@code {"keys":[JWK]}}: what {@code /.well-known/jwks.json} and {@code registry.jwks} answer. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new JsonArray().add(key.publicJwk()));
  }
}
