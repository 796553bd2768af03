package io.vigie.lorawan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhyPayloadTest {
  /** Vector up-pub-0143 (the Semtech UDP fixture's frame): UnconfirmedDataUp, DevAddr 2685d0c1, fCnt 42202461 (62813 on the wire), FPort 79. */
  private static final String FRAME = "40c1d08526805df54f1f2ae6dd9471f92e";

  @Test
  @DisplayName("a data uplink gives its DevAddr big-endian, its 16-bit counter, FPort, FRMPayload and MIC")
  void dataUp() throws FrameException {
    var frame = PhyPayload.parseHex(FRAME.toUpperCase());

    assertThat(frame.mType()).isEqualTo(MType.UNCONFIRMED_DATA_UP);
    assertThat(frame.isUplink()).isTrue();
    assertThat(frame.devAddrHex()).isEqualTo("2685d0c1");
    assertThat(frame.adr()).isTrue();
    assertThat(frame.fCnt16()).isEqualTo(0xf55d);
    assertThat(frame.fPort()).isEqualTo(0x4f);
    assertThat(HexFormat.of().formatHex(frame.frmPayload())).isEqualTo("1f2ae6dd");
    assertThat(HexFormat.of().formatHex(frame.mic())).isEqualTo("9471f92e");
    assertThat(frame.micCoveredLength()).isEqualTo(13);
  }

  @Test
  @DisplayName("a frame without FPort has no FRMPayload")
  void noFPort() throws FrameException {
    var frame = PhyPayload.parseHex("4001020304000500" + "11223344");

    assertThat(frame.fPort()).isNull();
    assertThat(frame.frmPayload()).isEmpty();
    assertThat(frame.fCnt16()).isEqualTo(5);
    assertThat(frame.devAddrHex()).isEqualTo("04030201");
  }

  @Test
  @DisplayName("a join request is refused as such: OTAA is not handled")
  void joinRequest() {
    assertThatThrownBy(() -> PhyPayload.parseHex("00" + "0102030405060708" + "1112131415161718" + "abcd" + "11223344"))
        .isInstanceOf(FrameException.class).hasMessageContaining("join request");
  }

  @Test
  @DisplayName("join accepts, RFU and proprietary frames are refused with their type")
  void otherTypes() {
    assertThatThrownBy(() -> PhyPayload.parseHex("20" + "00".repeat(16))).hasMessageContaining("join accept");
    assertThatThrownBy(() -> PhyPayload.parseHex("c0" + "00".repeat(16))).hasMessageContaining("RFU");
    assertThatThrownBy(() -> PhyPayload.parseHex("e0" + "00".repeat(16))).hasMessageContaining("proprietary");
  }

  @Test
  @DisplayName("a major version other than R1 is refused")
  void major() {
    assertThatThrownBy(() -> PhyPayload.parseHex("41" + "00".repeat(16))).hasMessageContaining("major version 1");
  }

  @Test
  @DisplayName("truncated frames are refused with what is missing")
  void truncated() {
    assertThatThrownBy(() -> PhyPayload.parseHex("40010203040005")).hasMessageContaining("at least 12 bytes");
    // FOptsLen 3 but only 2 bytes before the MIC
    assertThatThrownBy(() -> PhyPayload.parseHex("4001020304030500" + "0203" + "11223344"))
        .hasMessageContaining("FCtrl announces 3 bytes of FOpts");
  }

  @Test
  @DisplayName("empty, non-hex and oversize frames are refused")
  void notAFrame() {
    assertThatThrownBy(() -> PhyPayload.parseHex("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PhyPayload.parseHex("40zz")).hasMessageContaining("not hex");
    assertThatThrownBy(() -> PhyPayload.parseHex("400")).hasMessageContaining("not hex");
    assertThatThrownBy(() -> PhyPayload.parse(new byte[256])).hasMessageContaining("256 bytes");
  }

  @Test
  @DisplayName("MAC commands both in FOpts and on FPort 0 are refused")
  void fOptsAndPortZero() {
    assertThatThrownBy(() -> PhyPayload.parseHex("4001020304010500" + "02" + "00" + "aa" + "11223344"))
        .hasMessageContaining("FOpts and in an FPort 0 payload");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty,                         '',                                   TRUNCATED_FRAME,    truncated_frame",
      "11 bytes,                      40c1d08526805df54f1f2a,                TRUNCATED_FRAME,    truncated_frame",
      "FOptsLen past the end,         40c1d085260f5df5aabbccdd,              TRUNCATED_FRAME,    truncated_frame",
      "odd number of digits,          400,                                   NOT_HEX,            not_hex",
      "join request,                  00010203040506070811121314151617abcd11223344, JOIN_REQUEST, join_request",
      "join accept,                   20c1d08526805df54f1f2ae6dd9471f92e,    NOT_DATA_FRAME,     not_data_frame",
      "RFU,                           c0c1d08526805df54f1f2ae6dd9471f92e,    NOT_DATA_FRAME,     not_data_frame",
      "proprietary,                   e0c1d08526805df54f1f2ae6dd9471f92e,    NOT_DATA_FRAME,     not_data_frame",
      "major version 1,               41c1d08526805df54f1f2ae6dd9471f92e,    UNSUPPORTED_MAJOR,  unsupported_major",
      "FOpts and FPort 0,             40010203040105000200aa11223344,        MAC_COMMANDS_TWICE, mac_commands_twice"})
  @DisplayName("every refusal carries a machine-readable reason with a stable snake_case code")
  void reasons(String name, String hex, FrameException.Reason reason, String code) {
    var refused = catchThrowableOfType(FrameException.class, () -> PhyPayload.parseHex(hex.trim()));

    assertThat(refused.reason()).isEqualTo(reason);
    assertThat(refused.reason().code()).isEqualTo(code);
  }

  @Test
  @DisplayName("a frame longer than 255 bytes is refused as too long")
  void tooLong() {
    assertThatThrownBy(() -> PhyPayload.parse(new byte[256])).isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).reason()).isEqualTo(FrameException.Reason.FRAME_TOO_LONG);
  }

  @Test
  @DisplayName("downlinks parse too (frame debugger), with FPending instead of ADRACKReq")
  void downlink() throws FrameException {
    var frame = PhyPayload.parseHex("6001020304500100" + "11223344");

    assertThat(frame.mType()).isEqualTo(MType.UNCONFIRMED_DATA_DOWN);
    assertThat(frame.isUplink()).isFalse();
    assertThat(frame.fPending()).isTrue();
    assertThat(frame.adrAckReq()).isFalse();
  }

  @Test
  @DisplayName("toString shows the header, never payload bytes")
  void toStringSafe() throws FrameException {
    assertThat(PhyPayload.parseHex(FRAME).toString())
        .isEqualTo("UnconfirmedDataUp devAddr=2685d0c1 fCnt16=62813 fPort=79 frmPayload=4 bytes");
  }
}
