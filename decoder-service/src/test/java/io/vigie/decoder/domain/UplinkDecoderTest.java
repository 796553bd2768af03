package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UplinkDecoderTest {
  private static final Instant AT = Instant.parse("2026-11-29T09:34:15.775023242Z");
  private final UplinkDecoder decoder = new UplinkDecoder();

  static Uplink uplink(String payloadHex, Boolean encrypted) {
    return new Uplink("0101010101010101", 7, 1, payloadHex, encrypted, "00189440", AT, "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5)));
  }

  static DeviceContext device(String codec, String activation) {
    var type = codec == null ? null : new JsonObject().put("id", "probe").put("name", "Probe")
        .put("codec", new JsonObject().put("kind", codec));
    return new DeviceContext("0101010101010101", "acme", "Fridge 12 probe", "probe", "fridge-12", activation, type,
        List.of(new PathElement("acme", "tenant", "ACME")));
  }

  @Test
  @DisplayName("a Cayenne LPP uplink becomes a measurement that keeps the uplink's identity and radio data")
  void lpp() {
    var measurement = decoder.decode(uplink("016700eb", false), device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.id()).isEqualTo("0101010101010101-00000007");
    assertThat(measurement.fPort()).isEqualTo(1);
    assertThat(measurement.receivedAt()).isEqualTo(AT);
    assertThat(measurement.source()).isEqualTo("chirpstack-v4");
    assertThat(measurement.rx()).containsExactly(new RxInfo("0016c001f153a14c", -36.0, 10.5));
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("temperature_1", 23.5));
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
    assertThat(measurement.errors()).isEmpty();
    assertThat(measurement.tenant()).isNull();
  }

  @Test
  @DisplayName("a truncated LPP frame is kept with its raw payload and the reason")
  void truncated() {
    var measurement = decoder.decode(uplink("016700", false), device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("payloadHex", "016700"));
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).containsExactly("cayenne-lpp: truncated frame: temperature on channel 1 needs 2 data bytes, 1 left");
  }

  @Test
  @DisplayName("codec none decodes nothing and records no error")
  void none() {
    var measurement = decoder.decode(uplink("016700eb", false), device("none", "network-decrypted"));

    assertThat(measurement.decoded()).isEqualTo(new JsonObject());
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).isEmpty();
  }

  @Test
  @DisplayName("a device type without codec counts as codec none")
  void noDeviceType() {
    var measurement = decoder.decode(uplink("016700eb", false), device(null, "network-decrypted"));

    assertThat(measurement.errors()).isEmpty();
    assertThat(measurement.measurements()).isEmpty();
  }

  @Test
  @DisplayName("a javascript device needs a decoder that runs scripts: without one the uplink is kept with that error")
  void javascriptNotEnabled() {
    var measurement = decoder.decode(uplink("016700eb", false), device("javascript", "network-decrypted"));

    assertThat(measurement.errors()).containsExactly("javascript codecs are not enabled in this decoder");
    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("payloadHex", "016700eb"));
  }

  @Test
  @DisplayName("an unknown codec kind is reported, not fatal")
  void unknownCodec() {
    var measurement = decoder.decode(uplink("016700eb", false), device("protobuf", "network-decrypted"));

    assertThat(measurement.errors()).containsExactly("unknown codec kind 'protobuf'");
  }

  @Test
  @DisplayName("an ABP payload that reaches the codec still encrypted (not decrypted upstream) is kept undecoded")
  void encryptedAbp() {
    var measurement = decoder.decode(uplink("a1b2c3d4", true), device("cayenne-lpp", "ABP"));

    assertThat(measurement.decoded()).isEqualTo(new JsonObject().put("payloadHex", "a1b2c3d4"));
    assertThat(measurement.measurements()).isEmpty();
    assertThat(measurement.errors()).singleElement().asString().contains("still encrypted with the AppSKey");
  }

  @Test
  @DisplayName("an ABP device's payload is taken as encrypted when the source does not say")
  void abpUnknownEncryption() {
    var measurement = decoder.decode(uplink("016700eb", null), device("cayenne-lpp", "ABP"));

    assertThat(measurement.errors()).singleElement().asString().contains("still encrypted");
  }

  @Test
  @DisplayName("a payload the network server decrypted is decoded even for an ABP device")
  void abpDecryptedBySource() {
    var measurement = decoder.decode(uplink("016700eb", false), device("cayenne-lpp", "ABP"));

    assertThat(measurement.errors()).isEmpty();
    assertThat(measurement.measurements()).containsExactly(new MeasurementValue("temperature", "Cel", 23.5, 1));
  }

  @Test
  @DisplayName("an encrypted payload for a network-decrypted device points at the misconfiguration")
  void encryptedNetworkDecrypted() {
    var measurement = decoder.decode(uplink("a1b2c3d4", true), device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.errors()).singleElement().asString().contains("declared network-decrypted");
  }

  @Test
  @DisplayName("a whole frame from a source that does not say is encrypted: for a network-decrypted device, an error")
  void rawFrameNetworkDecrypted() {
    var uplink = new Uplink("0101010101010101", 7, 1, "a1b2c3d4", null, "26011bda", AT, "semtech-udp", List.of(),
        "40da1b0126000700" + "01a1b2c3d4" + "11223344");

    var measurement = decoder.decode(uplink, device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.errors()).singleElement().asString().contains("declared network-decrypted");
  }

  @Test
  @DisplayName("an empty frame is a measurement without values and without error")
  void emptyFrame() {
    var measurement = decoder.decode(uplink("", false), device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.decoded()).isEqualTo(new JsonObject());
    assertThat(measurement.errors()).isEmpty();
  }

  @Test
  @DisplayName("payload bytes on fPort 0 are MAC commands and are not given to the codec")
  void fPortZero() {
    var uplink = new Uplink("0101010101010101", 7, 0, "0603", false, null, AT, "chirpstack-v4", List.of());

    var measurement = decoder.decode(uplink, device("cayenne-lpp", "network-decrypted"));

    assertThat(measurement.errors()).containsExactly("fPort 0 carries MAC commands, not application data");
  }
}
