package io.vigie.common.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vigie.common.Addresses;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Stands in for the registry's token issuing in tests: an EC P-256 key pair made here, its public
 * JWK served on {@link Addresses#REGISTRY_JWKS}, and ES256 tokens signed with it.
 * Shared with every module's tests through common's test jar.
 */
public final class TestTokens {
  private final JsonObject jwk;
  private final JWTAuth signer;

  private TestTokens(Vertx vertx, JsonObject jwk, String privateKeyPem, String kid) {
    this.jwk = jwk;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(kid).setBuffer(privateKeyPem)));
  }

  /** A fresh key pair; tokens it signs are foreign to any other instance. */
  public static TestTokens create(Vertx vertx) {
    return create(vertx, "test-key");
  }

  /** A fresh key pair with this key id. */
  public static TestTokens create(Vertx vertx, String kid) {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      var pair = generator.generateKeyPair();
      var pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      var point = ((ECPublicKey) pair.getPublic()).getW();
      var jwk = new JsonObject().put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig")
          .put("kid", kid).put("x", coordinate(point.getAffineX())).put("y", coordinate(point.getAffineY()));
      return new TestTokens(vertx, jwk, pem, kid);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key, as the registry publishes it. */
  public JsonObject jwk() {
    return jwk.copy();
  }

  /** Answers {@link Addresses#REGISTRY_JWKS} on this Vert.x with the public key. */
  public TestTokens serveJwks(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_JWKS,
        message -> message.reply(new JsonObject().put("keys", new JsonArray().add(jwk.copy()))));
    return this;
  }

  public String token(VigiePrincipal principal) {
    return token(principal, 600);
  }

  /** A token that expires {@code seconds} from now. */
  public String token(VigiePrincipal principal, int seconds) {
    return signer.generateToken(principal.claims().put("iss", TokenVerifier.ISSUER),
        new JWTOptions().setAlgorithm("ES256").setExpiresInSeconds(seconds));
  }

  /** 32 bytes, big-endian, unsigned, base64url without padding (RFC 7518 §6.2.1.2). */
  private static String coordinate(BigInteger value) {
    var bytes = value.toByteArray();
    var fixed = new byte[32];
    if (bytes.length > 32) bytes = Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
    System.arraycopy(bytes, 0, fixed, 32 - bytes.length, bytes.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
