package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CayenneLppTest {

  private static List<LppItem> decode(String hex) {
    return CayenneLpp.decode(HexFormat.of().parseHex(hex));
  }

  @Test
  @DisplayName("01 67 00 eb is 23.5 °C on channel 1")
  void temperature() {
    assertThat(decode("016700eb")).containsExactly(new LppItem(1, LppType.TEMPERATURE, List.of(235)));
    assertThat(decode("016700eb").get(0).value()).isEqualTo(23.5);
  }

  @Test
  @DisplayName("negative temperatures are read as signed 16-bit values")
  void negativeTemperature() {
    assertThat(decode("0267ff38").get(0).value()).isEqualTo(-20.0);
  }

  @Test
  @DisplayName("GPS values are signed 24-bit: latitude, longitude and altitude")
  void gps() {
    // -33.8688, 151.2093, -12.34 m
    var item = decode("0188fad50017129dfffb2e").get(0);

    assertThat(item.raw()).containsExactly(-338688, 1512093, -1234);
    assertThat(item.json()).isEqualTo(new JsonObject().put("latitude", -33.8688).put("longitude", 151.2093).put("altitude", -12.34));
  }

  @Test
  @DisplayName("the barometer and the illuminance are unsigned 16-bit values")
  void unsigned() {
    assertThat(decode("0773ffff").get(0).value()).isEqualTo(6553.5);
    assertThat(decode("0565ffff").get(0).value()).isEqualTo(65535.0);
  }

  @Test
  @DisplayName("an empty frame holds no item")
  void empty() {
    assertThat(CayenneLpp.decode(new byte[0])).isEmpty();
  }

  @Test
  @DisplayName("a single trailing byte is rejected, not silently ignored")
  void trailingByte() {
    assertThatThrownBy(() -> decode("016700eb02"))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated frame: 1 byte left at offset 4, an item needs a channel and a type byte");
  }

  @Test
  @DisplayName("an item cut short is rejected with what it needed")
  void truncatedItem() {
    assertThatThrownBy(() -> decode("016700"))
        .isInstanceOf(CodecException.class)
        .hasMessage("truncated frame: temperature on channel 1 needs 2 data bytes, 1 left");
  }

  @Test
  @DisplayName("an unknown type is rejected: the rest of the frame cannot be trusted")
  void unknownType() {
    assertThatThrownBy(() -> decode("0172ffff"))
        .isInstanceOf(CodecException.class)
        .hasMessage("unknown Cayenne LPP type 114 (0x72) on channel 1 at offset 1");
  }
}
