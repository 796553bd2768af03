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
 *   <li>The device type's mapping first: {@code {"<field>": {"name", "unit", "from"?}}} where {@code from} is the
 *       unit the codec gives ({@code [degF]}, {@code mV}, {@code hPa}, {@code %x10}…), converted to {@code unit}.</li>
 *   <li>Then the built-in table of common vendor names (case and separators ignored), with the unit each name
 *       implies.</li>
 * </ol>
 * Values that are not finite or physically impossible (below absolute zero, humidity above 100 %, negative
 * pressure…) are left out with a warning. Fields that map to nothing stay in {@code decoded} only.
 */
public final class VendorFields {
  /** A canonical measurement and the unit the vendor's field is in. */
  record Target(String name, String unit, String from) {}

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
    var values = new ArrayList<MeasurementValue>();
    var warnings = new ArrayList<String>();
    var errors = new ArrayList<String>();
    var taken = new HashSet<String>();
    var claimed = new HashSet<String>();
    if (mapping != null) {
      for (var field : mapping.fieldNames()) {
        if (!data.containsKey(field)) continue;
        claimed.add(field);
        if (!(mapping.getValue(field) instanceof JsonObject spec) || !(spec.getValue("name") instanceof String name)
            || name.isBlank()) {
          errors.add("measurement mapping of '" + field + "' needs {\"name\", \"unit\"}");
          continue;
        }
        var unit = spec.getString("unit");
        var target = new Target(name, unit, spec.getString("from", unit));
        add(field, data.getValue(field), target, values, warnings, errors, taken);
      }
    }
    for (var field : data.fieldNames()) {
      if (claimed.contains(field)) continue;
      var target = BUILT_IN.get(key(field));
      if (target != null) add(field, data.getValue(field), target, values, warnings, errors, taken);
    }
    return new Result(values, warnings, errors);
  }

  private static void add(String field, Object raw, Target target, List<MeasurementValue> values, List<String> warnings,
                          List<String> errors, java.util.Set<String> taken) {
    if (!(raw instanceof Number number)) {
      if (raw != null && !(raw instanceof JsonObject)) {
        warnings.add("'" + field + "' is not a number (" + raw.getClass().getSimpleName() + "): not a measurement");
      }
      return;
    }
    var value = number.doubleValue();
    var converted = Units.convert(value, target.from(), target.unit());
    if (converted.isEmpty()) {
      errors.add("cannot convert '" + field + "' from " + target.from() + " to " + target.unit());
      return;
    }
    value = converted.get();
    var problem = implausible(target.name(), value);
    if (problem.isPresent()) {
      warnings.add("'" + field + "' = " + number + " left out: " + problem.get());
      return;
    }
    if (!taken.add(target.name())) {
      warnings.add("'" + field + "' also maps to '" + target.name() + "', already given by another field: left out");
      return;
    }
    values.add(new MeasurementValue(target.name(), target.unit(), value));
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
