package io.vigie.lorawan;

import java.util.HexFormat;
import java.util.Locale;

/**
 * An ABP session: DevAddr and the two 1.0.x session keys (the one session-key type of Vigie: the registry stores it,
 * the decoder uses it). Its {@link #toString()} never shows the keys, so a
 * careless log line cannot leak them; do not log {@link #appSKey()} or {@link #nwkSKey()}.
 */
public record SessionKeys(int devAddr, byte[] appSKey, byte[] nwkSKey) {

  public SessionKeys {
    if (appSKey == null || appSKey.length != LorawanCrypto.KEY_LENGTH
        || nwkSKey == null || nwkSKey.length != LorawanCrypto.KEY_LENGTH) {
      throw new IllegalArgumentException("AppSKey and NwkSKey are 16 bytes each");
    }
  }

  /**
   * A session from its hex form (the reply of {@code registry.device.keys} carries it so).
   *
   * @throws IllegalArgumentException naming the bad field, never its value
   */
  public static SessionKeys fromHex(String devAddr, String appSKey, String nwkSKey) {
    return new SessionKeys(devAddr(devAddr), key(appSKey, "appSKey"), key(nwkSKey, "nwkSKey"));
  }

  /** 8 hex digits, big-endian as people write it. */
  public static int devAddr(String hex) {
    if (hex == null || hex.length() != 8) throw new IllegalArgumentException("devAddr must be 8 hex digits");
    try {
      return Integer.parseUnsignedInt(hex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("devAddr must be 8 hex digits");
    }
  }

  /** 32 hex digits; the message names the field, never the value. */
  public static byte[] key(String hex, String field) {
    if (hex == null || hex.length() != 2 * LorawanCrypto.KEY_LENGTH) {
      throw new IllegalArgumentException(field + " must be 32 hex digits (16 bytes)");
    }
    try {
      return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " must be 32 hex digits (16 bytes)");
    }
  }

  public String devAddrHex() {
    return PhyPayload.devAddrHex(devAddr);
  }

  /** The AppSKey as 32 lower-case hex digits (what the registry seals and sends); never log it. */
  public String appSKeyHex() {
    return HexFormat.of().formatHex(appSKey);
  }

  /** The NwkSKey as 32 lower-case hex digits (what the registry seals and sends); never log it. */
  public String nwkSKeyHex() {
    return HexFormat.of().formatHex(nwkSKey);
  }

  @Override
  public String toString() {
    return "SessionKeys[devAddr=" + devAddrHex() + ", keys hidden]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionKeys keys && keys.devAddr == devAddr
        && java.util.Arrays.equals(keys.appSKey, appSKey) && java.util.Arrays.equals(keys.nwkSKey, nwkSKey);
  }

  @Override
  public int hashCode() {
    return devAddr;
  }
}
