package io.vigie.lorawan;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * LoRaWAN 1.0.x frame crypto (§4.3.3, §4.4), on BouncyCastle's AES engine and CMAC; no primitive is
 * written here, only the block layouts of the specification:
 * <pre>
 * Ai = 01 | 00 00 00 00 | Dir | DevAddr(LE) | FCnt32(LE) | 00 | i      S = AES(K, A1) | AES(K, A2) | …
 * B0 = 49 | 00 00 00 00 | Dir | DevAddr(LE) | FCnt32(LE) | 00 | len(msg)
 * MIC = AES-CMAC(NwkSKey, B0 | msg)[0..3],  msg = MHDR | FHDR | FPort | FRMPayload
 * </pre>
 * Dir is 0 for uplinks and 1 for downlinks. Both blocks carry the <em>full 32-bit</em> counter, of which a
 * frame carries only the low 16 bits ({@link FrameCounter}). Stateless and thread-safe (each call makes its
 * own engine).
 */
public final class LorawanCrypto {
  public static final int KEY_LENGTH = 16;
  public static final int MIC_LENGTH = 4;

  private LorawanCrypto() {}

  /**
   * Encrypts or decrypts (the same XOR) a FRMPayload.
   *
   * @param key AppSKey for FPort 1..255, NwkSKey for FPort 0
   * @param fCnt32 the full frame counter (0 … 2^32-1)
   */
  public static byte[] cipher(byte[] key, boolean uplink, int devAddr, long fCnt32, byte[] payload) {
    checkKey(key);
    var out = new byte[payload.length];
    if (payload.length == 0) return out;
    var aes = AESEngine.newInstance();
    aes.init(true, new KeyParameter(key));
    var a = block(0x01, uplink, devAddr, fCnt32);
    var s = new byte[16];
    for (int offset = 0, i = 1; offset < payload.length; offset += 16, i++) {
      a[15] = (byte) i;
      aes.processBlock(a, 0, s, 0);
      var n = Math.min(16, payload.length - offset);
      for (int j = 0; j < n; j++) {
        out[offset + j] = (byte) (payload[offset + j] ^ s[j]);
      }
    }
    return out;
  }

  /** The MIC of {@code msg[0..length)} (everything of the frame before the MIC). */
  public static byte[] mic(byte[] nwkSKey, boolean uplink, int devAddr, long fCnt32, byte[] msg, int length) {
    checkKey(nwkSKey);
    if (length < 0 || length > 255 || length > msg.length) {
      throw new IllegalArgumentException("the MIC covers 0..255 bytes of the frame, got " + length);
    }
    var b0 = block(0x49, uplink, devAddr, fCnt32);
    b0[15] = (byte) length;
    var cmac = new CMac(AESEngine.newInstance());
    cmac.init(new KeyParameter(nwkSKey));
    cmac.update(b0, 0, b0.length);
    cmac.update(msg, 0, length);
    var full = new byte[cmac.getMacSize()];
    cmac.doFinal(full, 0);
    return java.util.Arrays.copyOf(full, MIC_LENGTH);
  }

  /** The MIC a frame should carry with this NwkSKey and this full counter. */
  public static byte[] expectedMic(PhyPayload frame, byte[] nwkSKey, long fCnt32) {
    return mic(nwkSKey, frame.isUplink(), frame.devAddr(), fCnt32, frame.bytes(), frame.micCoveredLength());
  }

  /** Whether the frame's MIC is right for this NwkSKey and full counter (constant-time comparison). */
  public static boolean micValid(PhyPayload frame, byte[] nwkSKey, long fCnt32) {
    return org.bouncycastle.util.Arrays.constantTimeAreEqual(expectedMic(frame, nwkSKey, fCnt32), frame.mic());
  }

  /** The FRMPayload in clear: NwkSKey for FPort 0, AppSKey otherwise; empty when the frame has none. */
  public static byte[] decryptFrmPayload(PhyPayload frame, byte[] appSKey, byte[] nwkSKey, long fCnt32) {
    if (frame.frmPayload().length == 0) return new byte[0];
    var key = frame.fPort() != null && frame.fPort() == 0 ? nwkSKey : appSKey;
    return cipher(key, frame.isUplink(), frame.devAddr(), fCnt32, frame.frmPayload());
  }

  private static byte[] block(int first, boolean uplink, int devAddr, long fCnt32) {
    if (fCnt32 < 0 || fCnt32 > FrameCounter.MAX) {
      throw new IllegalArgumentException("a frame counter is 0.." + FrameCounter.MAX + ", got " + fCnt32);
    }
    var b = new byte[16];
    b[0] = (byte) first;
    b[5] = (byte) (uplink ? 0 : 1);
    b[6] = (byte) devAddr;
    b[7] = (byte) (devAddr >>> 8);
    b[8] = (byte) (devAddr >>> 16);
    b[9] = (byte) (devAddr >>> 24);
    b[10] = (byte) fCnt32;
    b[11] = (byte) (fCnt32 >>> 8);
    b[12] = (byte) (fCnt32 >>> 16);
    b[13] = (byte) (fCnt32 >>> 24);
    return b;
  }

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("a LoRaWAN session key is " + KEY_LENGTH + " bytes");
    }
  }
}
