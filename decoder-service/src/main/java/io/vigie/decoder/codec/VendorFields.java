package io.vigie.decoder.codec;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Standardisation of a codec's own field names: whatever a vendor calls it ({@code TempC_SHT}, {@code temp},
 * {@code BatV}, {@code battery_mv}…), a measurement ends up with one SenML name and one UCUM unit, converted.
 *
 * <ol>
 *   <li>The device type's mapping first: {@code {"<field>": {"name", "unit", "from"?, "channel"?}}} where
 *       {@code from} is the unit the codec gives ({@code [degF]}, {@code mV}, {@code hPa}, {@code %x10}…), converted
 *       to {@code unit}, and {@code channel} numbers a second sensor of the same kind: a codec's {@code temperature_2}
 *       mapped to {@code {"name":"temperature","unit":"Cel","channel":2}} is stored like a Cayenne LPP channel 2.
 *       Without a mapping a codec's field keeps its own naming ({@code temperature_2} is not a known vendor name: it
 *       stays in {@code decoded} only).</li>
 *   <li>Then the built-in table of common vendor names (case and separators ignored), with the unit each name
 *       implies.</li>
 * </ol>
 * Values that are not finite or physically impossible (below absolute zero, humidity above 100 %, negative
 * pressure…) are left out with a warning. Fields that map to nothing stay in {@code decoded} only.
 */
public final class VendorFields {
  /** A canonical measurement and the unit the vendor's field is in; {@code channel} null but from a mapping. */
  record Target(String name, String unit, String from, Integer channel) {
    Target(String name, String unit, String from) {
      this(name, unit, from, null);
    }
  }

  public record Result(List<MeasurementValue> measurements, List<String> warnings, List<String> errors) {}

  private static final Map<String, Target> BUILT_IN = new LinkedHashMap<>();

  static {
    names(new Target("temperature", "Cel", "Cel"), "temperature", "temp", "tempc", "temperaturec", "tempcsht",
        "tempcds", "ambienttemperature", "airtemperature", "t", "tmp", "temperature1", "internaltemperature");
    names(new Target("temperature", "Cel", "[degF]"), "tempf", "temperaturef", "tempfahrenheit");
    names(new Target("humidity", "%RH", "%RH"), "humidity", "hum", "humsht", "relativehumidity", "rh", "airhumidity",
        "humidity1");
    names(new Target("battery", "V", "V"), "battery", "bat", "batv", "batteryvoltage", "vbat", "batteryv", "voltage");
    names(new Target("battery", "V", "mV"), "batterymv", "batmv", "vbatmv", "batteryvoltagemv", "vdd");
    names(new Target("pressure", "Pa", "hPa"), "pressure", "barometricpressure", "pressurehpa", "baro", "airpressure");
    names(new Target("pressure", "Pa", "Pa"), "pressurepa");
    names(new Target("illuminance", "lx", "lx"), "illuminance", "lux", "light", "luminosity", "illumination");
    names(new Target("co2", "ppm", "ppm"), "co2", "co2ppm", "carbondioxide");
    names(new Target("batteryLevel", "%", "%"), "batterylevel", "batterypercent", "batpercent");
  }

  private static void names(Target target, String... names) {
    for (var name : names) BUILT_IN.put(name, target);
  }

  private VendorFields() {}

  /**
   * @param data the codec's {@code data}
   * @param mapping the device type's {@code measurements} mapping, or null
   */
  public static Result standardise(JsonObject data, JsonObject mapping) {
    var acc = mapped(data, mapping);
    for (var field : data.fieldNames()) {
      if (acc.claimed(field)) continue;
      var target = BUILT_IN.get(key(field));
      if (target == null) continue;
      if (!(data.getValue(field) instanceof Number number)) {
        var value = data.getValue(field);
        if (value != null && !(value instanceof JsonObject)) {
          acc.warnings.add("'" + field + "' is not a number (" + value.getClass().getSimpleName() + "): not a measurement");
        }
        continue;
      }
      acc.add(field, number, target, false);
    }
    return acc.result();
  }

  /**
   * The device type's mapping alone, applied in the order of {@code data}'s fields. Codecs that propose their own
   * canonical measurements (Cayenne LPP) add theirs to the accumulator afterwards, for the fields not claimed here.
   */
  public static Accumulator mapped(JsonObject data, JsonObject mapping) {
    var acc = new Accumulator();
    if (mapping == null) return acc;
    for (var field : data.fieldNames()) {
      if (!mapping.containsKey(field)) continue;
      acc.claimed.add(field);
      if (!(mapping.getValue(field) instanceof JsonObject spec) || !(spec.getValue("name") instanceof String name)
          || name.isBlank()) {
        acc.errors.add("measurement mapping of '" + field + "' needs {\"name\", \"unit\"}");
        continue;
      }
      if (!(data.getValue(field) instanceof Number number)) {
        acc.errors.add("measurement mapping of '" + field + "' needs a number, the codec gave " + kind(data.getValue(field)));
        continue;
      }
      var unit = spec.getValue("unit") instanceof String u ? u : null;
      var from = spec.getValue("from") instanceof String f ? f : unit;
      var channel = spec.getValue("channel") instanceof Number c ? Integer.valueOf(c.intValue()) : null;
      acc.add(field, number, new Target(name, unit, from, channel), true);
    }
    return acc;
  }

  /** Measurements being built: which fields are claimed, which names taken, and what went wrong. */
  public static final class Accumulator {
    private final List<MeasurementValue> values = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final java.util.Set<String> taken = new HashSet<>();
    private final java.util.Set<String> claimed = new HashSet<>();

    /** Whether the mapping already decided about this field. */
    public boolean claimed(String field) {
      return claimed.contains(field);
    }

    /** Adds a measurement in canonical units already; false when that name (on that channel) is taken. */
    public boolean add(MeasurementValue value) {
      if (!taken.add(value.channel() == null ? value.name() : value.name() + "#" + value.channel())) return false;
      values.add(value);
      return true;
    }

    void add(String field, Number number, Target target, boolean fromMapping) {
      var converted = Units.convert(number.doubleValue(), target.from(), target.unit());
      if (converted.isEmpty()) {
        errors.add("cannot convert '" + field + "' from " + target.from() + " to " + target.unit());
        return;
      }
      var problem = implausible(target.name(), converted.get());
      if (problem.isPresent()) {
        warnings.add("'" + field + "' = " + number + " left out: " + problem.get());
        return;
      }
      if (!add(new MeasurementValue(target.name(), target.unit(), converted.get(), target.channel()))) {
        if (fromMapping) {
          errors.add("measurement mapping of '" + field + "' onto '" + target.name() + "': that name is already used");
        } else {
          warnings.add("'" + field + "' also maps to '" + target.name() + "', already given by another field: left out");
        }
      }
    }

    public Result result() {
      return new Result(List.copyOf(values), List.copyOf(warnings), List.copyOf(errors));
    }
  }

  private static String kind(Object value) {
    if (value == null) return "nothing";
    if (value instanceof JsonObject) return "an object";
    if (value instanceof String) return "a string";
    return value.getClass().getSimpleName();
  }

  /** Why a canonical value cannot be true, if it cannot. */
  static Optional<String> implausible(String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) return Optional.of("not a finite number");
    return switch (name) {
      case "temperature" -> value < -273.15 ? Optional.of("below absolute zero") : Optional.empty();
      case "humidity", "batteryLevel" -> value < 0 || value > 100 ? Optional.of("outside 0..100 %") : Optional.empty();
      case "pressure", "illuminance", "co2" -> value < 0 ? Optional.of("negative") : Optional.empty();
      case "battery" -> value < 0 || value > 100 ? Optional.of("not a battery voltage") : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Field names compared without case, separators or a trailing unit marker ({@code Temp_C} = {@code tempc}). */
  static String key(String field) {
    return field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
