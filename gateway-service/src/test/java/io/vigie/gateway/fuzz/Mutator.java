package io.vigie.gateway.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic mutator of realistic inputs (one seeded {@link Random}: the same seed gives the same inputs, so a
 * failure is replayed with {@code -Dvigie.fuzz.seed=<seed>}). Byte level: bit flips, truncation, insertion and
 * deletion of bytes, bytes JSON cares about. JSON aware: a field dropped, duplicated, or replaced by a value of the
 * wrong type, a huge number, deep nesting, a long string, unicode, null, base64 or hex garbage, or a valid but extreme
 * value (a timestamp far away, a counter at 2^32-1, a frequency of 0).
 */
final class Mutator {
  private static final String MARK = "@@fuzz-raw@@";
  private static final String JSON_BYTES = "{}[]\",:\\\u0000 0-e.tn";
  private static final String[] EXTREMES = {"4294967295", "4294967296", "-1", "0", "65535", "65536", "2147483648",
      "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e308", "-1e308", "1e999", "0.0", "-0",
      "3.4028235e38", "4.9e-324", "99999999999999999999999999999999999999", "1.7976931348623157E309", "0x10", "NaN",
      "Infinity", "\"9999-12-31T23:59:59.999999999Z\"", "\"0000-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"",
      "\"2026-13-45T25:61:61Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"4294967295\"", "\"-1\"", "\"0\"", "\"\"", "true",
      "false", "null", "{}", "[]", "[null]", "{\"\":null}", "\"CR_4_5\"", "\"SF13BW1000\"", "\"ffffffffffffffff\"",
      "\"0000000000000000\"", "\"eui-\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\u202e\u0645\u0631\u062d\u0628\u0627\"",
      "\"\uD83D\uDE00\uD83C\uDF21\"", "\"../../etc/passwd\"", "\"%00%ff\"", "\"<script>\"", "\"' OR 1=1 --\"", "\"${jndi:ldap://x}\""};

  private final Random random;

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  int below(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** One to three JSON-aware mutations of a copy of {@code fixture}, encoded; then, one time in four, byte mutations too. */
  byte[] json(JsonObject fixture) {
    var copy = fixture.copy();
    var raw = new ArrayList<String>();
    for (int n = 1 + below(3); n > 0; n--) mutateTree(copy, raw);
    var text = copy.encode();
    for (var value : raw) text = text.replaceFirst("\"" + MARK + "\"", java.util.regex.Matcher.quoteReplacement(value));
    var bytes = text.getBytes(StandardCharsets.UTF_8);
    return chance(0.25) ? bytes(bytes) : bytes;
  }

  /** One to four byte-level mutations of a copy of {@code input}. */
  byte[] bytes(byte[] input) {
    var out = new ArrayList<Byte>(input.length + 16);
    for (byte b : input) out.add(b);
    for (int n = 1 + below(4); n > 0; n--) {
      int at = out.isEmpty() ? 0 : below(out.size());
      switch (below(7)) {
        case 0 -> { if (!out.isEmpty()) out.set(at, (byte) (out.get(at) ^ (1 << below(8)))); }
        case 1 -> { if (!out.isEmpty()) out.subList(below(out.size()), out.size()).clear(); } // truncation
        case 2 -> { for (int k = 1 + below(16); k > 0; k--) out.add(at, (byte) random.nextInt(256)); }
        case 3 -> { if (!out.isEmpty()) out.subList(at, Math.min(out.size(), at + 1 + below(16))).clear(); }
        case 4 -> { if (!out.isEmpty()) out.set(at, (byte) JSON_BYTES.charAt(below(JSON_BYTES.length()))); }
        case 5 -> { if (!out.isEmpty()) out.addAll(at, List.copyOf(out.subList(at, Math.min(out.size(), at + 1 + below(64))))); }
        default -> { if (!out.isEmpty()) out.set(at, (byte) (0x80 + below(128))); } // broken UTF-8
      }
    }
    var bytes = new byte[out.size()];
    for (int i = 0; i < bytes.length; i++) bytes[i] = out.get(i);
    return bytes;
  }

  /** Random bytes, of a random length up to {@code max}. */
  byte[] garbage(int max) {
    var bytes = new byte[below(max + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  private void mutateTree(JsonObject root, List<String> raw) {
    var containers = new ArrayList<Object>();
    collect(root, containers);
    var container = pick(containers);
    if (container instanceof JsonObject object) {
      if (object.isEmpty()) {
        object.put(randomKey(), value(raw));
        return;
      }
      var key = pick(List.copyOf(object.fieldNames()));
      switch (below(4)) {
        case 0 -> object.remove(key);
        case 1 -> { // the same key twice in the text, or the value under a second name
          if (chance(0.5)) {
            raw.add(io.vertx.core.json.Json.encode(object.getValue(key)) + "," + io.vertx.core.json.Json.encode(key) + ":"
                + EXTREMES[below(EXTREMES.length)]);
            object.put(key, MARK);
          } else {
            object.put(randomKey(), copyOf(object.getValue(key)));
          }
        }
        default -> object.put(key, value(raw));
      }
    } else {
      var array = (JsonArray) container;
      if (array.isEmpty() || chance(0.3)) {
        array.add(chance(0.5) && !array.isEmpty() ? copyOf(array.getValue(0)) : value(raw));
      } else {
        int at = below(array.size());
        if (chance(0.3)) array.remove(at);
        else array.set(at, value(raw));
      }
    }
  }

  private static Object copyOf(Object value) {
    if (value instanceof JsonObject object) return object.copy();
    if (value instanceof JsonArray array) return array.copy();
    return value;
  }

  private static void collect(Object node, List<Object> containers) {
    if (node instanceof JsonObject object) {
      containers.add(object);
      object.forEach(entry -> collect(entry.getValue(), containers));
    } else if (node instanceof JsonArray array) {
      containers.add(array);
      array.forEach(item -> collect(item, containers));
    }
  }

  private String randomKey() {
    return chance(0.5) ? "fuzz" + below(10) : string(1 + below(12));
  }

  /** A replacement value: a JSON value, or {@link #MARK} whose raw JSON text (in {@code raw}) replaces it once encoded. */
  private Object value(List<String> raw) {
    return switch (below(12)) {
      case 0 -> null;
      case 1 -> random.nextLong();
      case 2 -> random.nextDouble() * Math.pow(10, below(300)) * (chance(0.5) ? 1 : -1);
      case 3 -> "x".repeat(1 + below(chance(0.9) ? 4096 : 70_000)); // past ingest.bodyLimit, sometimes
      case 4 -> string(1 + below(64));
      case 5 -> base64Garbage();
      case 6 -> hexGarbage();
      case 7 -> new JsonArray().add(random.nextInt()).add(string(3)).addNull();
      case 8 -> new JsonObject().put(randomKey(), random.nextBoolean());
      case 9 -> {
        int depth = chance(0.8) ? 1 + below(64) : 500 + below(6000);
        var open = chance(0.5) ? "[" : "{\"a\":";
        var close = open.equals("[") ? "]" : "}";
        raw.add(open.repeat(depth) + "1" + close.repeat(depth));
        yield MARK;
      }
      case 10 -> {
        raw.add(EXTREMES[below(EXTREMES.length)]);
        yield MARK;
      }
      default -> {
        raw.add(chance(0.5) ? "1" + "0".repeat(below(2000)) : "-0." + "9".repeat(below(2000)) + "e-" + below(99999));
        yield MARK;
      }
    };
  }

  /** Letters, digits, unicode (accents, right-to-left, emoji, lone surrogates, controls). */
  String string(int length) {
    var out = new StringBuilder();
    String[] pieces = {"a", "Z", "0", "9", "é", "ß", "\u202e", "\u0000", "\u001f", "\u2028", "\uD83D\uDE00", "\ud800", "\\",
        "\"", "/", "%", "\uFFFF", "\uFEFF", " ", "\t"};
    for (int i = 0; i < length; i++) out.append(pieces[below(pieces.length)]);
    return out.toString();
  }

  private String base64Garbage() {
    var bytes = new byte[below(300)];
    random.nextBytes(bytes);
    var text = java.util.Base64.getEncoder().encodeToString(bytes);
    if (chance(0.5) || text.isEmpty()) return text;
    var chars = text.toCharArray();
    chars[below(chars.length)] = "!*-_= \n".charAt(below(7));
    return new String(chars);
  }

  private String hexGarbage() {
    var bytes = new byte[below(300)];
    random.nextBytes(bytes);
    var text = java.util.HexFormat.of().formatHex(bytes) + (chance(0.3) ? "g" : chance(0.3) ? "f" : "");
    return chance(0.3) ? text.toUpperCase(java.util.Locale.ROOT) : text;
  }
}
