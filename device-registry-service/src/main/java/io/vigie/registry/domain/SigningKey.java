package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * The registry's token signing key: an EC P-256 private key (PKCS#8 PEM) and the public JWK derived
 * from it ({@code kid} = its RFC 7638 thumbprint, so it is stable across restarts).
 */
public final class SigningKey {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final String pem;
  private final JsonObject jwk;

  private SigningKey(String pem, JsonObject jwk) {
    this.pem = pem;
    this.jwk = jwk;
  }

  public static SigningKey generate() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      var pair = generator.generateKeyPair();
      var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(pair.getPrivate().getEncoded());
      return fromPem("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC P-256 key", e);
    }
  }

  /** Reads a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) holding an EC P-256 private key. */
  public static SigningKey fromPem(String pem) {
    var body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    if (!pem.contains("-----BEGIN PRIVATE KEY-----") || body.isEmpty()) {
      throw new IllegalArgumentException("the JWT signing key must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)");
    }
    ECPrivateKey key;
    try {
      key = (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("the JWT signing key is not a readable EC private key");
    }
    var curve = CustomNamedCurves.getByName("secp256r1");
    if (!key.getParams().getOrder().equals(curve.getN())) {
      throw new IllegalArgumentException("the JWT signing key must be on curve P-256 (ES256)");
    }
    var q = curve.getG().multiply(key.getS()).normalize();
    var x = B64URL.encodeToString(q.getAffineXCoord().getEncoded());
    var y = B64URL.encodeToString(q.getAffineYCoord().getEncoded());
    var jwk = new JsonObject().put("kty", "EC").put("crv", "P-256").put("x", x).put("y", y)
        .put("kid", thumbprint(x, y)).put("alg", "ES256").put("use", "sig");
    return new SigningKey(pem, jwk);
  }

  /** RFC 7638: SHA-256 of the required members in lexicographic order, base64url. */
  static String thumbprint(String x, String y) {
    var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
    try {
      return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String pem() {
    return pem;
  }

  public String kid() {
    return jwk.getString("kid");
  }

  /** The public JWK (no private part). */
  public JsonObject publicJwk() {
    return jwk.copy();
  }

  @Override
  public String toString() {
    return "SigningKey[kid=" + kid() + "]";
  }
}
