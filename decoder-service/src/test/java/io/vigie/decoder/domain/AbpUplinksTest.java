package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.decoder.domain.AbpUplinks.Ready;
import io.vigie.decoder.domain.AbpUplinks.Reason;
import io.vigie.decoder.domain.AbpUplinks.Refused;
import io.vigie.decoder.domain.AbpUplinks.ResetPolicy;
import io.vigie.decoder.domain.AbpUplinks.Undecryptable;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.LorawanCrypto;
import io.vigie.lorawan.SessionKeys;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AbpUplinksTest {
  static final HexFormat HEX = HexFormat.of();
  static final int DEV_ADDR = 0x26011bda;
  static final byte[] APP_S_KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
  static final byte[] NWK_S_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
  static final SessionKeys KEYS = new SessionKeys(DEV_ADDR, APP_S_KEY, NWK_S_KEY);
  static final String DEV_EUI = "0101010101010101";
  static final Instant AT = Instant.parse("2026-11-29T09:34:15Z");
  static final String LPP = "016700eb";

  private final AbpUplinks reject = new AbpUplinks(ResetPolicy.REJECT, FrameCounter.MAX_FCNT_GAP);
  private final AbpUplinks acceptReset = new AbpUplinks(ResetPolicy.ACCEPT_RESET, FrameCounter.MAX_FCNT_GAP);

  /** An uplink as the Semtech UDP path gives it: the whole frame, the 16-bit counter, the encrypted FRMPayload. */
  static Uplink udp(long fCnt32, String plainHex) {
    var frame = DataFrames.uplink(DEV_ADDR, fCnt32, 1, HEX.parseHex(plainHex), APP_S_KEY, NWK_S_KEY);
    return udp(frame, fCnt32 & 0xFFFF);
  }

  static Uplink udp(byte[] frame, long fCnt) {
    var frmPayload = HEX.formatHex(frame, 9, frame.length - 4);
    return new Uplink(DEV_EUI, fCnt, 1, frmPayload, null, "26011bda", AT, "semtech-udp",
        List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5)), HEX.formatHex(frame));
  }

  /** An uplink as a network server that did not decrypt gives it: 32-bit counter, encrypted FRMPayload. */
  static Uplink networkServer(long fCnt32, int fPort, String plainHex) {
    var key = fPort == 0 ? NWK_S_KEY : APP_S_KEY;
    var encrypted = LorawanCrypto.cipher(key, true, DEV_ADDR, fCnt32, HEX.parseHex(plainHex));
    return new Uplink(DEV_EUI, fCnt32, fPort, HEX.formatHex(encrypted), true, "26011bda", AT, "chirpstack-v4", List.of());
  }

  @Test
  @DisplayName("a whole frame is authenticated and decrypted, with the counter reconstructed across a rollover")
  void frame() {
    var prepared = reject.prepare(udp(0x1_0002L, LPP), KEYS, 0xFFFEL);

    var ready = (Ready) prepared;
    assertThat(ready.fCnt32()).isEqualTo(0x1_0002L);
    assertThat(ready.clear().fCnt()).isEqualTo(0x1_0002L);
    assertThat(ready.clear().id()).isEqualTo(DEV_EUI + "-00010002");
    assertThat(ready.clear().payloadHex()).isEqualTo(LPP);
    assertThat(ready.clear().encrypted()).isFalse();
    assertThat(ready.clear().fPort()).isEqualTo(1);
    assertThat(ready.clear().rx()).hasSize(1);
    assertThat(ready.resetAllowed()).isFalse();
  }

  @Test
  @DisplayName("a frame whose MIC does not verify is refused as a MIC failure, with the counter it was checked with")
  void forged() {
    var frame = DataFrames.uplink(DEV_ADDR, 7, 1, HEX.parseHex(LPP), APP_S_KEY, HEX.parseHex("ffeeddccbbaa99887766554433221100"));

    var refused = (Refused) reject.prepare(udp(frame, 7), KEYS, 6);

    assertThat(refused.reason()).isEqualTo(Reason.MIC_FAILURE);
    assertThat(refused.fCnt32()).isEqualTo(7);
    assertThat(refused.detail()).startsWith("MIC check failed");
  }

  @Test
  @DisplayName("a frame whose upper counter bits were guessed wrong (last counter unknown) fails its MIC")
  void wrongEpoch() {
    var refused = (Refused) reject.prepare(udp(0x2_0007L, LPP), KEYS, FrameCounter.NONE);

    assertThat(refused.reason()).isEqualTo(Reason.MIC_FAILURE);
    assertThat(refused.fCnt32()).isEqualTo(7);
  }

  @Test
  @DisplayName("a source that gives a 32-bit counter agreeing with the frame is trusted, whatever the last counter")
  void fullCounterGiven() {
    var frame = DataFrames.uplink(DEV_ADDR, 0x5_0009L, 1, HEX.parseHex(LPP), APP_S_KEY, NWK_S_KEY);

    var ready = (Ready) reject.prepare(udp(frame, 0x5_0009L), KEYS, FrameCounter.NONE);

    assertThat(ready.fCnt32()).isEqualTo(0x5_0009L);
    assertThat(ready.clear().payloadHex()).isEqualTo(LPP);
  }

  @Test
  @DisplayName("a counter that disagrees with the frame's 16 bits is a malformed uplink")
  void counterMismatch() {
    var frame = DataFrames.uplink(DEV_ADDR, 9, 1, HEX.parseHex(LPP), APP_S_KEY, NWK_S_KEY);

    var refused = (Refused) reject.prepare(udp(frame, 10), KEYS, FrameCounter.NONE);

    assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(refused.detail()).isEqualTo("fCnt 10 does not end with the frame's 16-bit counter 9");
  }

  @Test
  @DisplayName("a frame from another DevAddr cannot be authenticated with this session")
  void otherDevAddr() {
    var frame = DataFrames.uplink(0x26011bdb, 9, 1, HEX.parseHex(LPP), APP_S_KEY, NWK_S_KEY);

    var refused = (Refused) reject.prepare(udp(frame, 9), KEYS, 8);

    assertThat(refused.reason()).isEqualTo(Reason.MIC_FAILURE);
    assertThat(refused.detail()).contains("DevAddr 26011bdb is not the session's 26011bda");
  }

  @Test
  @DisplayName("an unparsable frame, a join request or a downlink are malformed uplinks with the parser's reason")
  void malformedFrames() {
    var join = new Uplink(DEV_EUI, 0, null, "", null, null, AT, "semtech-udp", List.of(), "00" + "11".repeat(22));
    var down = new Uplink(DEV_EUI, 1, null, "", null, null, AT, "semtech-udp", List.of(), "60da1b0126000100" + "11223344");

    assertThat(((Refused) reject.prepare(join, KEYS, -1)).detail()).contains("join request");
    assertThat(((Refused) reject.prepare(down, KEYS, -1)).detail()).contains("UnconfirmedDataDown, not an uplink");
  }

  @Test
  @DisplayName("a network server's encrypted payload is decrypted with its 32-bit counter, AppSKey on FPort 1..255")
  void networkServer() {
    var ready = (Ready) reject.prepare(networkServer(0x3_0001L, 2, LPP), KEYS, FrameCounter.NONE);

    assertThat(ready.fCnt32()).isEqualTo(0x3_0001L);
    assertThat(ready.clear().payloadHex()).isEqualTo(LPP);
    assertThat(ready.clear().fPort()).isEqualTo(2);
    assertThat(ready.clear().phyPayloadHex()).isNull();
  }

  @Test
  @DisplayName("FPort 0 is decrypted with the NwkSKey")
  void portZero() {
    var ready = (Ready) reject.prepare(networkServer(12, 0, "0603"), KEYS, FrameCounter.NONE);

    assertThat(ready.clear().payloadHex()).isEqualTo("0603");
  }

  @Test
  @DisplayName("a network server naming another DevAddr than the registry's session: kept encrypted with the reason")
  void networkServerOtherDevAddr() {
    var uplink = networkServer(5, 1, LPP);
    uplink = new Uplink(uplink.devEui(), 5, 1, uplink.payloadHex(), true, "26011bdb", AT, "chirpstack-v4", List.of());

    var undecryptable = (Undecryptable) reject.prepare(uplink, KEYS, FrameCounter.NONE);

    assertThat(undecryptable.error()).contains("DevAddr 26011bdb is not the registry's 26011bda");
  }

  @Test
  @DisplayName("the payload hash identifies the content: same frame same hash, other content or port another hash")
  void hash() {
    var first = (Ready) reject.prepare(networkServer(5, 1, LPP), KEYS, -1);
    var again = (Ready) reject.prepare(networkServer(5, 1, LPP), KEYS, -1);
    var other = (Ready) reject.prepare(networkServer(5, 1, "016700ec"), KEYS, -1);
    var port = (Ready) reject.prepare(networkServer(5, 2, LPP), KEYS, -1);

    assertThat(first.payloadHash()).hasSize(32).isEqualTo(again.payloadHash())
        .isNotEqualTo(other.payloadHash()).isNotEqualTo(port.payloadHash());
  }

  @Test
  @DisplayName("with accept-reset, a rebooted device's frame (counter 1, MIC made with 1) is tried as a restart")
  void rebootWithFrame() {
    var ready = (Ready) acceptReset.prepare(udp(1, LPP), KEYS, 0x1_0001L);

    assertThat(ready.fCnt32()).isEqualTo(1);
    assertThat(ready.resetAllowed()).isTrue();
    assertThat(ready.clear().payloadHex()).isEqualTo(LPP);
  }

  @Test
  @DisplayName("with reject, the same rebooted frame is checked with the reconstructed counter and fails its MIC")
  void rebootRejected() {
    var refused = (Refused) reject.prepare(udp(1, LPP), KEYS, 0x1_0001L);

    assertThat(refused.reason()).isEqualTo(Reason.MIC_FAILURE);
    assertThat(refused.fCnt32()).isEqualTo(0x1_0001L);
  }

  @Test
  @DisplayName("an old frame replayed reconstructs to its own (older) counter and passes its MIC: the guard rejects it")
  void oldFrameReplayed() {
    var ready = (Ready) reject.prepare(udp(0x2_0010L, LPP), KEYS, 0x2_0020L);

    assertThat(ready.fCnt32()).isEqualTo(0x2_0010L);
    assertThat(ready.resetAllowed()).isFalse();
  }

  @Test
  @DisplayName("the needed last counter: only for frames whose counter is 16 bits wide")
  void needsLast() {
    assertThat(AbpUplinks.needsLastCounter(udp(5, LPP))).isTrue();
    assertThat(AbpUplinks.needsLastCounter(networkServer(5, 1, LPP))).isFalse();
  }

  @Test
  @DisplayName("the reset policy reads reject or accept-reset and names the key otherwise")
  void policy() {
    assertThat(ResetPolicy.fromWire("accept-reset")).isEqualTo(ResetPolicy.ACCEPT_RESET);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResetPolicy.fromWire("accept"))
        .hasMessageContaining("decoder.fcntReset");
  }

  @Test
  @DisplayName("session keys never show in toString and bad keys name the field, not the value")
  void keysHidden() {
    assertThat(KEYS.toString()).isEqualTo("SessionKeys[devAddr=26011bda, keys hidden]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionKeys.key("2b7e151628aed2a6abf7158809cf4f3", "appSKey"))
        .hasMessage("appSKey must be 32 hex digits (16 bytes)");
  }
}
