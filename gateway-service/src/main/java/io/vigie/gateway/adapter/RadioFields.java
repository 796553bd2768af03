package io.vigie.gateway.adapter;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lenient reads of the radio settings a source reports (frequency, data rate, spreading factor, bandwidth, coding
 * rate, ADR and confirmed flags) for {@link io.vigie.common.message.TxInfo}. These are informational: a value that
 * is absent or cannot be read becomes null, never a reason to refuse the uplink. Numbers may come as JSON numbers
 * or as strings ({@code "868100000"}, ThingPark's {@code "1"}).
 */
final class RadioFields {
  private static final Pattern CODING_RATE = Pattern.compile("(?:CR_?)?(\\d)[_/](\\d)(LI)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern LORA_DATR = Pattern.compile("SF(\\d{1,2})BW(\\d{2,3}(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

  /** The spellings sources use every time, read once: {@code CR_4_5} → {@code 4/5}, {@code 4/5} → itself. */
  private static final Map<String, String> USUAL_CODING_RATES = usualCodingRates();
  /** The most digits, and the largest exponent either way, of a number read as a radio setting. */
  private static final int MAX_DIGITS = 40;

  private RadioFields() {}

  private static Map<String, String> usualCodingRates() {
    var usual = new HashMap<String, String>();
    for (int d = 5; d <= 8; d++) {
      usual.put("CR_4_" + d, "4/" + d);
      usual.put("4/" + d, "4/" + d);
      usual.put("CR_4_" + d + "LI", "4/" + d + "LI");
    }
    return Map.copyOf(usual);
  }

  /** A number, or a string holding one; null otherwise, and for a number no radio ever reports (see {@link #plausible}). */
  static BigDecimal number(Object value) {
    try {
      if (value instanceof Integer || value instanceof Long) return BigDecimal.valueOf(((Number) value).longValue());
      if (value instanceof Number n) return plausible(new BigDecimal(n.toString()));
      if (value instanceof String s && !s.isBlank()) return plausible(new BigDecimal(s.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  /**
   * Null for a number written with an exponent or digits past {@link #MAX_DIGITS} ({@code "1e999999999"}): no radio
   * setting looks like that, and rounding such a number to a whole one (a frequency to Hz) would compute a power of ten
   * with as many digits — minutes of CPU and gigabytes for one body.
   */
  private static BigDecimal plausible(BigDecimal number) {
    return Math.abs(number.scale()) <= MAX_DIGITS && number.precision() <= MAX_DIGITS ? number : null;
  }

  /** A whole number in {@code 0..max}; null otherwise. */
  static Integer integer(Object value, int max) {
    if (value instanceof Integer i) return i >= 0 && i <= max ? i : null;
    var number = number(value);
    if (number == null) return null;
    try {
      var exact = number.intValueExact();
      return exact >= 0 && exact <= max ? exact : null;
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** A frequency given in Hz; null when absent, zero, unreadable or past a long (not wrapped around). */
  static Long hertz(Object value) {
    var number = number(value);
    if (number == null || number.signum() <= 0) return null;
    try {
      return number.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException e) {
      return null; // more Hz than a long holds
    }
  }

  /** A frequency given in MHz ({@code 868.1}), in Hz; null when absent, zero or unreadable. */
  static Long megahertz(Object value) {
    var number = number(value);
    return number == null ? null : hertz(number.movePointRight(6));
  }

  /** true/false, 1/0 as a number or a string; null otherwise. */
  static Boolean flag(Object value) {
    if (value instanceof Boolean b) return b;
    var number = integer(value, 1);
    if (number != null) return number == 1;
    if (value instanceof String s) {
      if ("true".equalsIgnoreCase(s.trim())) return true;
      if ("false".equalsIgnoreCase(s.trim())) return false;
    }
    return null;
  }

  /** {@code 4/5} from {@code "4/5"}, ChirpStack's {@code "CR_4_5"} or {@code "CR_4_8LI"} ({@code 4/8LI}); null otherwise. */
  static String codingRate(Object value) {
    if (!(value instanceof String s)) return null;
    var usual = USUAL_CODING_RATES.get(s);
    if (usual != null) return usual;
    var matcher = CODING_RATE.matcher(s.trim());
    if (!matcher.matches()) return null;
    return matcher.group(1) + "/" + matcher.group(2) + (matcher.group(3) == null ? "" : "LI");
  }

  /** Spreading factor and bandwidth (Hz) of a Semtech {@code datr} such as {@code "SF7BW125"}; null for FSK or junk. */
  static int[] loraDatr(Object value) {
    if (!(value instanceof String s)) return null;
    var matcher = LORA_DATR.matcher(s.trim().toUpperCase(Locale.ROOT));
    if (!matcher.matches()) return null;
    var bandwidth = new BigDecimal(matcher.group(2)).movePointRight(3).intValue();
    return new int[] {Integer.parseInt(matcher.group(1)), bandwidth};
  }
}
