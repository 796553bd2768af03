package io.vigie.decoder.codec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a device type's codec examples, in the form of The Things Network's device repository:
 * {@code {"description"?, "input": {"fPort", "bytes": [..]}, "output": {"data": {..}} | {"errors": [..]}}}.
 * A codec whose examples fail is not activated.
 */
public final class CodecExamples {
  private CodecExamples() {}

  /** One example's verdict; {@code actual} is what the codec answered. */
  public record Verdict(int index, String description, boolean passed, JsonObject expected, JsonObject actual) {
    public JsonObject toJson() {
      return new JsonObject().put("index", index).put("description", description).put("passed", passed)
          .put("expected", expected).put("actual", actual);
    }
  }

  /** @throws IllegalArgumentException when an example is not of the expected form */
  public static List<Verdict> run(JavaScriptCodecs codecs, String script, JsonArray examples) {
    var verdicts = new ArrayList<Verdict>();
    for (int i = 0; i < examples.size(); i++) {
      if (!(examples.getValue(i) instanceof JsonObject example)
          || !(example.getValue("input") instanceof JsonObject input)
          || !(example.getValue("output") instanceof JsonObject expected)) {
        throw new IllegalArgumentException("example " + i + " needs {\"input\": {\"fPort\", \"bytes\"}, \"output\": {…}}");
      }
      var result = codecs.decode(script, input.getInteger("fPort", 1), bytes(input.getValue("bytes"), i),
          Instant.now(), input.getJsonObject("variables"));
      var actual = new JsonObject();
      if (result.data() != null) actual.put("data", result.data());
      if (!result.errors().isEmpty()) actual.put("errors", new JsonArray(result.errors()));
      if (!result.warnings().isEmpty()) actual.put("warnings", new JsonArray(result.warnings()));
      verdicts.add(new Verdict(i, example.getString("description"), matches(expected, actual), expected, actual));
    }
    return verdicts;
  }

  /** The expected output's {@code data}, {@code errors} and {@code warnings}, where given, are what the codec answered. */
  static boolean matches(JsonObject expected, JsonObject actual) {
    for (var key : List.of("data", "errors", "warnings")) {
      if (expected.containsKey(key) && !sameJson(expected.getValue(key), actual.getValue(key))) return false;
    }
    return expected.containsKey("errors") == actual.containsKey("errors") || !expected.containsKey("data");
  }

  private static boolean sameJson(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      if (!x.fieldNames().equals(y.fieldNames())) return false;
      return x.fieldNames().stream().allMatch(k -> sameJson(x.getValue(k), y.getValue(k)));
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!sameJson(x.getValue(i), y.getValue(i))) return false;
      return true;
    }
    return java.util.Objects.equals(a, b);
  }

  private static byte[] bytes(Object value, int index) {
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException("example " + index + ": input.bytes must be an array");
    var bytes = new byte[array.size()];
    for (int i = 0; i < bytes.length; i++) {
      if (!(array.getValue(i) instanceof Number n) || n.intValue() < 0 || n.intValue() > 255) {
        throw new IllegalArgumentException("example " + index + ": input.bytes holds a value that is not a byte");
      }
      bytes[i] = (byte) n.intValue();
    }
    return bytes;
  }
}
