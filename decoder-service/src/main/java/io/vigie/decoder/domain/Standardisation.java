package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns a codec's fields into canonical measurements (SenML names, UCUM units).
 *
 * <ol>
 *   <li>The device type's {@code measurements} mapping comes first:
 *       {@code {"analog_in_3": {"name": "battery", "unit": "V"}}} makes a measurement of that field's
 *       value, as is (no unit conversion).</li>
 *   <li>Then the codec's own proposals ({@link Candidate}s, e.g. every LPP temperature) for the
 *       fields the mapping did not claim. When one name is proposed for several channels, the lowest
 *       channel gets the plain name ({@code temperature}) and the others get the channel appended
 *       ({@code temperature_2}): the same sensor keeps the same series even if a device lists its
 *       channels in another order.</li>
 * </ol>
 * Names are unique in the result; a second field onto an already used name is left out (and, for
 * the mapping, reported).
 */
public final class Standardisation {
  private Standardisation() {}

  /** A canonical measurement a codec proposes for one of its decoded fields. */
  public record Candidate(String field, String name, String unit, double value, int channel) {}

  public record Result(List<MeasurementValue> measurements, List<String> errors) {}

  public static Result apply(JsonObject decoded, List<Candidate> candidates, JsonObject mapping) {
    var values = new ArrayList<MeasurementValue>();
    var errors = new ArrayList<String>();
    var taken = new HashSet<String>();
    var claimed = new HashSet<String>();

    if (mapping != null) {
      for (var field : decoded.fieldNames()) {
        if (!mapping.containsKey(field)) continue;
        claimed.add(field);
        if (!(mapping.getValue(field) instanceof JsonObject target)
            || !(target.getValue("name") instanceof String name) || name.isBlank()) {
          errors.add("measurement mapping of '" + field + "' needs {\"name\", \"unit\"}");
          continue;
        }
        if (!(decoded.getValue(field) instanceof Number number)) {
          errors.add("measurement mapping of '" + field + "' needs a number, the codec gave " + kind(decoded.getValue(field)));
          continue;
        }
        if (!taken.add(name)) {
          errors.add("measurement mapping of '" + field + "' onto '" + name + "': that name is already used");
          continue;
        }
        var unit = target.getValue("unit") instanceof String u ? u : null;
        values.add(new MeasurementValue(name, unit, number.doubleValue()));
      }
    }

    Map<String, Integer> lowestChannel = new HashMap<>();
    for (var candidate : candidates) {
      if (claimed.contains(candidate.field())) continue;
      lowestChannel.merge(candidate.name(), candidate.channel(), Math::min);
    }
    for (var candidate : candidates) {
      if (claimed.contains(candidate.field())) continue;
      var plain = candidate.channel() == lowestChannel.get(candidate.name()) && !taken.contains(candidate.name());
      var name = plain ? candidate.name() : candidate.name() + "_" + candidate.channel();
      if (taken.add(name)) values.add(new MeasurementValue(name, candidate.unit(), candidate.value()));
    }
    return new Result(values, errors);
  }

  private static String kind(Object value) {
    if (value == null) return "nothing";
    if (value instanceof JsonObject) return "an object";
    if (value instanceof String) return "a string";
    return value.getClass().getSimpleName();
  }
}
