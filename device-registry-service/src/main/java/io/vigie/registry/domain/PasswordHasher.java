package io.vigie.registry.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (BouncyCastle), encoded as a PHC string
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>} so salt and parameters travel
 * with the hash. CPU and memory heavy on purpose: call it from a worker, never from an event loop.
 */
public final class PasswordHasher {
  /** OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
  public static final PasswordHasher DEFAULT = new PasswordHasher(19 * 1024, 2, 1);

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{16,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private final int memoryKb;
  private final int iterations;
  private final int parallelism;

  public PasswordHasher(int memoryKb, int iterations, int parallelism) {
    this.memoryKb = memoryKb;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  public String hash(String password) {
    var salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    var hash = derive(password, salt, memoryKb, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKb + ",t=" + iterations + ",p=" + parallelism
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** True when {@code password} matches {@code encoded}; false for a wrong password or an unreadable hash. */
  public boolean verify(String password, String encoded) {
    if (password == null || encoded == null) return false;
    var m = PHC.matcher(encoded);
    if (!m.matches()) return false;
    var expected = B64D.decode(m.group(5));
    var actual = derive(password, B64D.decode(m.group(4)), Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String password, byte[] salt, int memoryKb, int iterations, int parallelism, int length) {
    var params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKb).withIterations(iterations).withParallelism(parallelism)
        .withSalt(salt).build();
    var generator = new Argon2BytesGenerator();
    generator.init(params);
    var out = new byte[length];
    var bytes = password.getBytes(StandardCharsets.UTF_8);
    try {
      generator.generateBytes(bytes, out);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return out;
  }
}
