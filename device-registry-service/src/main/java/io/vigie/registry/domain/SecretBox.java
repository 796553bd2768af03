package io.vigie.registry.domain;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encryption at rest of secrets (device session keys) with AES-256-GCM under the registry's master key.
 * A sealed value is {@code v1:<base64(nonce(12) | ciphertext | tag(16))>}; the {@code context} (e.g. the
 * device and field) is authenticated, so a sealed value copied onto another device or field does not open.
 */
public final class SecretBox {
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final byte[] key;

  public SecretBox(byte[] key) {
    if (key == null || key.length != 32) throw new IllegalArgumentException("the master key must be 32 bytes");
    this.key = key.clone();
  }

  public String seal(String plaintext, String context) {
    var nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    var cipher = cipher(true, nonce, context);
    var input = plaintext.getBytes(StandardCharsets.UTF_8);
    var out = new byte[NONCE_BYTES + cipher.getOutputSize(input.length)];
    System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
    var n = cipher.processBytes(input, 0, input.length, out, NONCE_BYTES);
    try {
      cipher.doFinal(out, NONCE_BYTES + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    } finally {
      Arrays.fill(input, (byte) 0);
    }
    return VERSION + Base64.getEncoder().encodeToString(out);
  }

  /** The plaintext, or {@link SecurityException} when the value was tampered with, moved or sealed under another key. */
  public String open(String sealed, String context) {
    if (sealed == null || !sealed.startsWith(VERSION)) throw new SecurityException("not a sealed value");
    byte[] data;
    try {
      data = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new SecurityException("not a sealed value");
    }
    if (data.length < NONCE_BYTES + TAG_BITS / 8) throw new SecurityException("sealed value too short");
    var cipher = cipher(false, Arrays.copyOf(data, NONCE_BYTES), context);
    var out = new byte[cipher.getOutputSize(data.length - NONCE_BYTES)];
    var n = cipher.processBytes(data, NONCE_BYTES, data.length - NONCE_BYTES, out, 0);
    try {
      n += cipher.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new SecurityException("sealed value does not authenticate (wrong key or context, or tampered)");
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private GCMBlockCipher cipher(boolean encrypt, byte[] nonce, String context) {
    var cipher = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce,
        context.getBytes(StandardCharsets.UTF_8)));
    return cipher;
  }
}
