package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CayenneLppCodecTest {

  private static Decoding decode(String hex, JsonObject mapping) {
    return CayenneLppCodec.decode(HexFormat.of().parseHex(hex), mapping);
  }

  @Test
  @DisplayName("a temperature becomes decoded temperature_1 and the canonical measurement temperature in Cel")
  void temperature() {
    var decoding = decode("016700eb", null);

    assertThat(decoding.decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(decoding.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
    assertThat(decoding.errors()).isEmpty();
  }

  @Test
  @DisplayName("humidity, barometer and luminosity map to humidity %RH, pressure Pa (from hPa) and illuminance lx")
  void otherCanonicalMeasurements() {
    // humidity 65.5 %, barometer 1013.2 hPa, luminosity 300 lx, digital input 1
    var decoding = decode("026883" + "0373" + "2794" + "04650" + "12c" + "050001", null);

    assertThat(decoding.decoded()).isEqualTo(new JsonObject().put("relative_humidity_2", 65.5)
        .put("barometric_pressure_3", 1013.2).put("luminosity_4", 300).put("digital_in_5", 1));
    assertThat(decoding.measurements()).containsExactly(
        new MeasurementValue("humidity", "%RH", 65.5, 2),
        new MeasurementValue("pressure", "Pa", 101320.0, 3),
        new MeasurementValue("illuminance", "lx", 300.0, 4));
  }

  @Test
  @DisplayName("multi-value types are objects in decoded and are not canonical measurements")
  void multiValue() {
    var decoding = decode("0871" + "04d2fb2e0000" + "0986" + "0064ff9c0000", null);

    assertThat(decoding.decoded()).isEqualTo(new JsonObject()
        .put("accelerometer_8", new JsonObject().put("x", 1.234).put("y", -1.234).put("z", 0.0))
        .put("gyrometer_9", new JsonObject().put("x", 1.0).put("y", -1.0).put("z", 0.0)));
    assertThat(decoding.measurements()).isEmpty();
  }

  @Test
  @DisplayName("with one type on several channels every value keeps the plain name and its channel, lowest channel first")
  void severalChannels() {
    // temperature 5.0 on channel 3, then -18.0 on channel 1, then 21.0 on channel 2
    var decoding = decode("03670032" + "0167ff4c" + "026700d2", null);

    assertThat(decoding.measurements()).containsExactly(
        new MeasurementValue("temperature", "Cel", -18.0, 1),
        new MeasurementValue("temperature", "Cel", 21.0, 2),
        new MeasurementValue("temperature", "Cel", 5.0, 3));
    assertThat(decoding.measurements().get(1).toJson()).isEqualTo(new JsonObject()
        .put("name", "temperature").put("unit", "Cel").put("value", 21.0).put("channel", 2));
  }

  @Test
  @DisplayName("a mapping may give a codec field a channel, so a second sensor keeps the plain name")
  void mappingWithChannel() {
    var mapping = new JsonObject().put("temperature_2",
        new JsonObject().put("name", "temperature").put("unit", "Cel").put("channel", 7));

    var decoding = decode("016700eb" + "026700d2", mapping);

    assertThat(decoding.measurements()).containsExactly(
        new MeasurementValue("temperature", "Cel", 21.0, 7), new MeasurementValue("temperature", "Cel", 23.5, 1));
  }

  @Test
  @DisplayName("a channel repeated with the same type keeps its first value")
  void repeatedChannel() {
    var decoding = decode("016700eb" + "01670032", null);

    assertThat(decoding.decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(decoding.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
  }

  @Test
  @DisplayName("the device type's measurement mapping names fields the codec leaves unnamed, and overrides defaults")
  void deviceTypeMapping() {
    var mapping = new JsonObject()
        .put("analog_in_3", new JsonObject().put("name", "battery").put("unit", "V"))
        .put("temperature_2", new JsonObject().put("name", "ambient_temperature").put("unit", "Cel"));
    // temperature 4.2 on channel 1, 21.0 on channel 2, analog in 3.61 on channel 3
    var decoding = decode("0167002a" + "026700d2" + "03020169", mapping);

    assertThat(decoding.measurements()).containsExactly(
        new MeasurementValue("ambient_temperature", "Cel", 21.0),
        new MeasurementValue("battery", "V", 3.61),
        new MeasurementValue("temperature", "Cel", 4.2, 1));
    assertThat(decoding.errors()).isEmpty();
  }

  @Test
  @DisplayName("a mapping that cannot apply is reported in errors and the rest still decodes")
  void badMapping() {
    var mapping = new JsonObject()
        .put("gps_1", new JsonObject().put("name", "position").put("unit", "deg"))
        .put("temperature_2", "temperature");
    var decoding = decode("0188fad50017129dfffb2e" + "026700d2", mapping);

    assertThat(decoding.errors()).containsExactly(
        "measurement mapping of 'gps_1' needs a number, the codec gave an object",
        "measurement mapping of 'temperature_2' needs {\"name\", \"unit\"}");
    assertThat(decoding.decoded().fieldNames()).containsExactly("gps_1", "temperature_2");
  }
}
