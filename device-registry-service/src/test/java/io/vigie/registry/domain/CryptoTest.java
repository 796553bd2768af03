package io.vigie.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The registry's cryptography")
class CryptoTest {

  @Test
  @DisplayName("Argon2id hashes verify the right password only, with a fresh salt each time")
  void argon2() {
    var hasher = new PasswordHasher(1024, 1, 1);
    var hash = hasher.hash("s3cret-passw0rd");

    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("s3cret");
    assertThat(hasher.verify("s3cret-passw0rd", hash)).isTrue();
    assertThat(hasher.verify("s3cret-passw0rD", hash)).isFalse();
    assertThat(hasher.hash("s3cret-passw0rd")).isNotEqualTo(hash);
    assertThat(hasher.verify("anything", "not a hash")).isFalse();
    // parameters travel with the hash: a verifier with other defaults still checks it
    assertThat(PasswordHasher.DEFAULT.verify("s3cret-passw0rd", hash)).isTrue();
  }

  @Test
  @DisplayName("the stored PHC string holds exactly the salt and parameters that produce its hash")
  void argon2PhcFormat() {
    var hash = new PasswordHasher(2048, 3, 1).hash("password");
    var parts = hash.split("\\$");
    // ["", "argon2id", "v=19", "m=2048,t=3,p=1", salt, hash]
    assertThat(parts).hasSize(6);
    var salt = Base64.getDecoder().decode(parts[4]);
    var expected = Base64.getDecoder().decode(parts[5]);
    assertThat(salt).hasSize(16);
    assertThat(expected).hasSize(32);
    var generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(2048).withIterations(3).withParallelism(1).withSalt(salt).build());
    var out = new byte[32];
    generator.generateBytes("password".getBytes(StandardCharsets.UTF_8), out);
    assertThat(out).isEqualTo(expected);
  }

  @Test
  @DisplayName("BouncyCastle's Argon2id gives the RFC 9106 test vector (section 5.3)")
  void argon2Rfc9106() {
    var generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(32).withIterations(3).withParallelism(4).withSalt(filled(16, 2)).withSecret(filled(8, 3))
        .withAdditional(filled(12, 4)).build());
    var out = new byte[32];
    generator.generateBytes(filled(32, 1), out);
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  }

  private static byte[] filled(int length, int value) {
    var bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @Test
  @DisplayName("sealed secrets open with the same key and context only, and detect tampering")
  void secretBox() {
    var key = new byte[32];
    key[0] = 7;
    var box = new SecretBox(key);
    var sealed = box.seal("2b7e151628aed2a6abf7158809cf4f3c", "vigie:{registry}:device:0011223344556677:appSKey");

    assertThat(sealed).startsWith("v1:").doesNotContain("2b7e1516");
    assertThat(box.open(sealed, "vigie:{registry}:device:0011223344556677:appSKey")).isEqualTo("2b7e151628aed2a6abf7158809cf4f3c");
    assertThat(box.seal("2b7e151628aed2a6abf7158809cf4f3c", "c")).isNotEqualTo(box.seal("2b7e151628aed2a6abf7158809cf4f3c", "c"));
    assertThatThrownBy(() -> box.open(sealed, "vigie:{registry}:device:0011223344556677:nwkSKey")).isInstanceOf(SecurityException.class);
    var otherKey = new byte[32];
    assertThatThrownBy(() -> new SecretBox(otherKey).open(sealed, "vigie:{registry}:device:0011223344556677:appSKey"))
        .isInstanceOf(SecurityException.class);
    var bytes = Base64.getDecoder().decode(sealed.substring(3));
    bytes[14] ^= 1;
    var tampered = "v1:" + Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> box.open(tampered, "vigie:{registry}:device:0011223344556677:appSKey")).isInstanceOf(SecurityException.class);
  }

  @Test
  @DisplayName("the signing key's JWK is its public half: a signature by the private key verifies with it")
  void signingKey() throws Exception {
    var key = SigningKey.generate();
    var again = SigningKey.fromPem(key.pem());
    assertThat(again.publicJwk()).isEqualTo(key.publicJwk());
    assertThat(key.kid()).matches("[A-Za-z0-9_-]{43}");

    var body = key.pem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    var kf = KeyFactory.getInstance("EC");
    var privateKey = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    JsonObject jwk = key.publicJwk();
    var x = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x")));
    var y = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y")));
    var publicKey = kf.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), privateKey.getParams()));

    var signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(privateKey);
    signer.update("hello".getBytes(StandardCharsets.UTF_8));
    var signature = signer.sign();
    var verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  @DisplayName("the JWK thumbprint follows RFC 7638")
  void thumbprint() {
    // RFC 7638: the required members in lexicographic order (crv, kty, x, y), no whitespace; expected value is
    // base64url(SHA-256(...)) computed independently (Python hashlib) over {"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
    var kid = SigningKey.thumbprint("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
    assertThat(kid).isEqualTo("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
  }
}
