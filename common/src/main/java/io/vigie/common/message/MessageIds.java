package io.vigie.common.message;

import java.util.Locale;
import java.util.regex.Pattern;

/** Identifiers shared by every stage: DevEUI normalisation and the deterministic uplink id. */
public final class MessageIds {
  private static final Pattern SEPARATORS = Pattern.compile("[-:\\s]");
  private static final Pattern DEV_EUI = Pattern.compile("[0-9a-f]{16}");

  private MessageIds() {}

  /** {@code 70b3d57ed005a1b2-0000002a}: devEui, dash, 32-bit counter as 8 hex digits. */
  public static String uplinkId(String devEui, long fCnt) {
    var hex = Long.toHexString(fCnt & 0xFFFFFFFFL);
    return devEui + "-" + "00000000".substring(hex.length()) + hex;
  }

  /**
   * A DevEUI in canonical form (16 lower-case hex digits), accepting any case and
   * separators ({@code 70-B3-D5…}, {@code 70:b3:…}).
   *
   * @throws IllegalArgumentException when it is not 8 bytes of hex
   */
  public static String normalizeDevEui(String raw) {
    if (raw == null) throw new IllegalArgumentException("devEui is missing");
    if (isLowerHex16(raw)) return raw; // the usual shape, as it is
    var eui = SEPARATORS.matcher(raw).replaceAll("").toLowerCase(Locale.ROOT);
    if (!DEV_EUI.matcher(eui).matches()) {
      throw new IllegalArgumentException("devEui must be 16 hex digits, got '" + abbreviate(raw) + "'");
    }
    return eui;
  }

  private static boolean isLowerHex16(String s) {
    if (s.length() != 16) return false;
    for (int i = 0; i < 16; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
