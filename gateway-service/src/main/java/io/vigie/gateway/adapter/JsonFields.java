package io.vigie.gateway.adapter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.json.Rfc3339;
import io.vigie.common.message.MessageIds;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of network-server JSON, failing with an {@link InvalidUplinkException} that names
 * the field ({@code path}) and the reason. Protobuf-JSON rules: numbers may also come as decimal
 * strings; absent means "default".
 */
final class JsonFields {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
  private static final long MAX_UINT32 = 0xFFFFFFFFL;

  private JsonFields() {}

  static JsonObject requiredObject(JsonObject json, String key, String path) {
    var value = json.getValue(key);
    if (value == null) throw invalid(path, "is missing");
    if (!(value instanceof JsonObject object)) throw invalid(path, "must be an object");
    return object;
  }

  /** An object, or null when absent. */
  static JsonObject optionalObject(JsonObject json, String key, String path) {
    var value = json.getValue(key);
    if (value == null) return null;
    if (!(value instanceof JsonObject object)) throw invalid(path, "must be an object");
    return object;
  }

  /** A DevEUI in any case, with or without separators, as 16 lower-case hex digits. */
  static String devEui(JsonObject json, String key, String path) {
    var raw = requiredString(json, key, path);
    try {
      return MessageIds.normalizeDevEui(raw);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "must be 16 hex digits, got '" + abbreviate(raw) + "'");
    }
  }

  /** Hex bytes of any length (a payload), lower-cased; "" when absent. */
  static String hexBytes(JsonObject json, String key, String path) {
    var value = optionalString(json, key, path);
    if (value == null) return "";
    var hex = value.trim();
    if (hex.length() % 2 != 0 || !isHex(hex)) {
      throw invalid(path, "must be hex bytes (an even number of hex digits), got '" + abbreviate(value) + "'");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  static JsonArray optionalArray(JsonObject json, String key, String path) {
    var value = json.getValue(key);
    if (value == null) return new JsonArray();
    if (!(value instanceof JsonArray array)) throw invalid(path, "must be an array");
    return array;
  }

  /** A string, or null when absent. */
  static String optionalString(JsonObject json, String key, String path) {
    var value = json.getValue(key);
    if (value == null) return null;
    if (!(value instanceof String s)) throw invalid(path, "must be a string");
    return s;
  }

  static String requiredString(JsonObject json, String key, String path) {
    var value = optionalString(json, key, path);
    if (value == null) throw invalid(path, "is missing");
    return value;
  }

  /** An unsigned integer in {@code 0..max} (a JSON number or a string of digits); {@code fallback} when absent. */
  static long unsigned(JsonObject json, String key, String path, long max, long fallback) {
    var value = json.getValue(key);
    if (value == null) return fallback;
    if (value instanceof Integer || value instanceof Long) {
      long number = ((Number) value).longValue();
      if (number < 0 || number > max) throw invalid(path, "must be between 0 and " + max + ", got " + number);
      return number;
    }
    BigInteger number;
    if (value instanceof Short || value instanceof Byte) {
      number = BigInteger.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      number = big;
    } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Double.isFinite(n.doubleValue())) {
      number = BigInteger.valueOf(n.longValue());
    } else if (value instanceof String s && DIGITS.matcher(s).matches()) {
      number = new BigInteger(s);
    } else {
      throw invalid(path, "must be an unsigned integer, got " + describe(value));
    }
    if (number.signum() < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
      throw invalid(path, "must be between 0 and " + max + ", got " + number);
    }
    return number.longValue();
  }

  static long unsigned32(JsonObject json, String key, String path, long fallback) {
    return unsigned(json, key, path, MAX_UINT32, fallback);
  }

  /**
   * A finite number (or a numeric string), or null when absent. A JSON number too large for a double ({@code 1e999})
   * is refused like a word: read as infinity it would be written to the ingest log as the string "Infinity", which no
   * consumer reads back (the whole batch, and the partition behind it, would be stuck).
   */
  static Double optionalNumber(JsonObject json, String key, String path) {
    var value = json.getValue(key);
    if (value == null) return null;
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
    if (value instanceof String s) {
      try {
        var parsed = Double.parseDouble(s.trim());
        if (Double.isFinite(parsed)) return parsed;
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    throw invalid(path, "must be a number, got " + describe(value));
  }

  /** Base64 (standard or URL-safe alphabet, padding optional) to lower-case hex; "" when absent. */
  static String base64AsHex(JsonObject json, String key, String path) {
    var value = optionalString(json, key, path);
    if (value == null || value.isEmpty()) return "";
    try {
      var bytes = Base64.getDecoder().decode(value.trim().replace('-', '+').replace('_', '/'));
      return HexFormat.of().formatHex(bytes);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "is not valid base64");
    }
  }

  /** Hex of exactly {@code bytes} bytes, lower-cased; null when absent or empty. */
  static String optionalHex(JsonObject json, String key, String path, int bytes) {
    var value = optionalString(json, key, path);
    if (value == null || value.isEmpty()) return null;
    if (value.length() != bytes * 2 || !isHex(value)) {
      throw invalid(path, "must be " + (bytes * 2) + " hex digits, got '" + abbreviate(value) + "'");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** An RFC 3339 time with any offset and up to nanoseconds; null when absent. */
  static Instant optionalTime(JsonObject json, String key, String path) {
    var value = optionalString(json, key, path);
    if (value == null || value.isEmpty()) return null;
    var fast = Rfc3339.fast(value);
    if (fast != null) return fast;
    try {
      return OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(path, "must be an RFC 3339 time such as 2026-11-29T09:30:00.1+00:00, got '" + abbreviate(value) + "'");
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) return false;
    }
    return true;
  }

  static InvalidUplinkException invalid(String path, String why) {
    return new InvalidUplinkException(path + " " + why);
  }

  private static String describe(Object value) {
    if (value instanceof String s) return "'" + abbreviate(s) + "'";
    if (value instanceof JsonObject) return "an object";
    if (value instanceof JsonArray) return "an array";
    return String.valueOf(value);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
