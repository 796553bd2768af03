package io.vigie.decoder.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Standardisation of vendor fields")
class VendorFieldsTest {

  static MeasurementValue only(VendorFields.Result result) {
    assertThat(result.measurements()).as("warnings %s errors %s", result.warnings(), result.errors()).hasSize(1);
    return result.measurements().get(0);
  }

  @ParameterizedTest(name = "{0} = {1} → {2} {3} {4}")
  @CsvSource({
      "TempC_SHT, 4.25, temperature, Cel, 4.25",
      "temp, -18.5, temperature, Cel, -18.5",
      "Temperature, 21, temperature, Cel, 21",
      "TempF, 39.2, temperature, Cel, 4.0",
      "Hum_SHT, 55.5, humidity, %RH, 55.5",
      "BatV, 3.61, battery, V, 3.61",
      "battery_mv, 3610, battery, V, 3.61",
      "pressure, 1013.25, pressure, Pa, 101325",
      "lux, 320, illuminance, lx, 320",
      "CO2, 415, co2, ppm, 415"})
  @DisplayName("the built-in table names and converts common vendor fields")
  void builtIn(String field, double value, String name, String unit, double expected) {
    var measurement = only(VendorFields.standardise(new JsonObject().put(field, value), null));
    assertThat(measurement.name()).isEqualTo(name);
    assertThat(measurement.unit()).isEqualTo(unit);
    assertThat(measurement.value()).isCloseTo(expected, within(1e-9));
  }

  @ParameterizedTest(name = "{0} {1} → {2} {3}")
  @CsvSource({
      "[degF], 212, Cel, 100",
      "K, 277.15, Cel, 4",
      "mV, 3300, V, 3.3",
      "hPa, 1000, Pa, 100000",
      "kPa, 101.325, Pa, 101325",
      "mbar, 1013, Pa, 101300",
      "%x10, 655, %RH, 65.5",
      "klx, 1.5, lx, 1500"})
  @DisplayName("unit conversions")
  void conversions(String from, double value, String to, double expected) {
    assertThat(Units.convert(value, from, to)).hasValueSatisfying(v -> assertThat(v).isCloseTo(expected, within(1e-9)));
  }

  @Test
  @DisplayName("an unknown conversion is refused, not guessed")
  void unknownConversion() {
    assertThat(Units.convert(1, "furlong", "Pa")).isEmpty();
    var result = VendorFields.standardise(new JsonObject().put("x", 1),
        new JsonObject().put("x", new JsonObject().put("name", "pressure").put("unit", "Pa").put("from", "furlong")));
    assertThat(result.measurements()).isEmpty();
    assertThat(result.errors()).singleElement().asString().contains("cannot convert 'x'");
  }

  @Test
  @DisplayName("the device type's mapping comes before the built-in table, and converts with 'from'")
  void mappingFirst() {
    var data = new JsonObject().put("temp", 99.0).put("probe_f", 41.0);
    var mapping = new JsonObject()
        .put("probe_f", new JsonObject().put("name", "temperature").put("unit", "Cel").put("from", "[degF]"));
    var result = VendorFields.standardise(data, mapping);
    assertThat(result.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 5.0));
    assertThat(result.warnings()).singleElement().asString().contains("'temp' also maps to 'temperature'");
  }

  @Test
  @DisplayName("NaN, infinities and impossible values are left out with a warning; unknown fields stay decoded only")
  void implausible() {
    var data = new JsonObject().put("temperature", -300.0).put("humidity", 140.0).put("pressure", Double.NaN)
        .put("battery", Double.POSITIVE_INFINITY).put("firmware", "1.2.3").put("counter", 12);
    var result = VendorFields.standardise(data, null);
    assertThat(result.measurements()).isEmpty();
    assertThat(result.warnings()).hasSize(4).anySatisfy(w -> assertThat(w).contains("below absolute zero"))
        .anySatisfy(w -> assertThat(w).contains("outside 0..100"))
        .anySatisfy(w -> assertThat(w).contains("not a finite number"));
  }
}
