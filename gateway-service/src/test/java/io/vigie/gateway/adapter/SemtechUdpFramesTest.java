package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vigie.gateway.Fixtures;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The frame of a Semtech UDP packet, read by the lorawan library")
class SemtechUdpFramesTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<JsonObject> vectors() {
    return Fixtures.json("lorawan-frames.json").getJsonArray("vectors").stream().map(JsonObject.class::cast);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("public vectors: DevAddr, 16-bit FCnt, FPort and the encrypted FRMPayload are read from the frame")
  void vectorsParse(JsonObject vector) {
    var frame = SemtechUdp.dataUp(HEX.parseHex(vector.getString("phyPayloadHex")));

    assertThat(frame.devAddrHex()).isEqualTo(vector.getString("devAddr"));
    assertThat(frame.fCnt16()).isEqualTo(vector.getInteger("fCnt16"));
    assertThat(frame.fPort()).isEqualTo(vector.getInteger("fPort"));
    assertThat(HEX.formatHex(frame.frmPayload())).isEqualTo(vector.getString("frmPayloadEncryptedHex"));
    assertThat(frame.mType().wire()).isEqualTo(vector.getString("mtype"));
    assertThat(HEX.formatHex(frame.bytes())).isEqualTo(vector.getString("phyPayloadHex"));
  }

  @Test
  @DisplayName("a join request is recognised (and left out: OTAA is out of scope)")
  void joinRequest() {
    var join = HEX.parseHex("00" + "0807060504030201" + "1122334455667788" + "3412" + "a1b2c3d4");

    assertThatThrownBy(() -> SemtechUdp.dataUp(join)).isInstanceOf(InvalidUplinkException.class)
        .extracting(e -> ((InvalidUplinkException) e).reason()).isEqualTo(SemtechUdp.JOIN_REQUEST);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty frame,                             '',                                     truncated_frame",
      "11 bytes,                                40c1d08526805df54f1f2a,                  truncated_frame",
      "FOptsLen past the end,                   40c1d085260f5df5aabbccdd,                truncated_frame",
      "join accept (a downlink),                20c1d08526805df54f1f2ae6dd9471f92e,      not_data_up",
      "unconfirmed data down,                   60c1d08526805df54f1f2ae6dd9471f92e,      not_data_up",
      "confirmed data down,                     a0c1d08526805df54f1f2ae6dd9471f92e,      not_data_up",
      "RFU,                                     c0c1d08526805df54f1f2ae6dd9471f92e,      not_data_up",
      "proprietary,                             e0c1d08526805df54f1f2ae6dd9471f92e,      not_data_up",
      "major version 1,                         41c1d08526805df54f1f2ae6dd9471f92e,      unsupported_major",
      "MAC commands in FOpts and on FPort 0,    40010203040105000200aa11223344,          mac_commands_twice"})
  @DisplayName("frames that are not LoRaWAN 1.0 data uplinks, or truncated, are refused with a reason")
  void refused(String name, String hex, String reason) {
    var bytes = HEX.parseHex(hex.trim());

    assertThatThrownBy(() -> SemtechUdp.dataUp(bytes)).isInstanceOf(InvalidUplinkException.class)
        .extracting(e -> ((InvalidUplinkException) e).reason()).isEqualTo(reason);
  }
}
