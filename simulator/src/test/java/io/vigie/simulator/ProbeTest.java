package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.lorawan.LorawanCrypto;
import io.vigie.lorawan.MType;
import io.vigie.lorawan.PhyPayload;
import io.vigie.lorawan.SessionKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A simulated ABP probe")
class ProbeTest {
  static final List<Frame.Reception> ONE_GATEWAY = List.of(new Frame.Reception("b827ebfffe000001", -80, 7.5));

  static Probe probe(long firstFCnt, Silence silence) {
    var appSKey = new byte[16];
    var nwkSKey = new byte[16];
    for (int i = 0; i < 16; i++) {
      appSKey[i] = (byte) (0x10 + i);
      nwkSKey[i] = (byte) (0xa0 + i);
    }
    return new Probe("70b3d57ed0000007", "Fridge 7 probe, Lille", "site-lille", "site-lille-fridge-7", 0x26000007,
        appSKey, nwkSKey, new FridgeModel(4.0, false, 7), silence, firstFCnt);
  }

  @Test
  @DisplayName("sends frames the decoder's parser reads back: right DevAddr and counter, a valid MIC, and the LPP reading once decrypted")
  void framesRoundTripThroughTheDecoder() throws Exception {
    var probe = probe(1, Silence.never());
    var keys = keysOf(probe);
    for (int i = 0; i < 3; i++) {
      var frame = probe.nextFrame(Instant.now(), ONE_GATEWAY);
      var parsed = PhyPayload.parse(frame.phyPayload());
      assertThat(parsed.mType()).isEqualTo(MType.UNCONFIRMED_DATA_UP);
      assertThat(parsed.devAddrHex()).isEqualTo("26000007");
      assertThat(parsed.fCnt16()).isEqualTo(1 + i);
      assertThat(frame.fCnt()).isEqualTo(1 + i);
      assertThat(parsed.fPort()).isEqualTo(Probe.FPORT);
      assertThat(LorawanCrypto.micValid(parsed, keys.nwkSKey(), frame.fCnt())).as("MIC").isTrue();
      assertThat(parsed.frmPayload()).as("encrypted on the air").isEqualTo(frame.frmPayload()).isNotEqualTo(frame.plain());
      var plain = LorawanCrypto.decryptFrmPayload(parsed, keys.appSKey(), keys.nwkSKey(), frame.fCnt());
      assertThat(plain).isEqualTo(frame.plain()).isEqualTo(CayenneLpp.temperature(1, frame.celsius()));
      assertThat(frame.id()).isEqualTo(String.format("70b3d57ed0000007-%08x", 1 + i));
    }
    assertThat(probe.nextFCnt()).isEqualTo(4);
  }

  @Test
  @DisplayName("a 32-bit counter goes on the air as its low 16 bits, and the MIC is made with all 32")
  void fullCounterInTheMic() throws Exception {
    var probe = probe(0x0001_0005L, Silence.never());
    var keys = keysOf(probe);
    var frame = probe.nextFrame(Instant.now(), ONE_GATEWAY);
    var parsed = PhyPayload.parse(frame.phyPayload());
    assertThat(parsed.fCnt16()).isEqualTo(5);
    assertThat(LorawanCrypto.micValid(parsed, keys.nwkSKey(), 0x0001_0005L)).isTrue();
    assertThat(LorawanCrypto.micValid(parsed, keys.nwkSKey(), 5)).as("the 16 wire bits alone").isFalse();
  }

  @Test
  @DisplayName("a frame with one MIC bit flipped fails the MIC check, and nothing else changes")
  void forgedMic() throws Exception {
    var probe = probe(1, Silence.never());
    var keys = keysOf(probe);
    var frame = probe.nextFrame(Instant.now(), ONE_GATEWAY);
    var forged = frame.withMicBitFlipped();
    assertThat(forged.id()).isEqualTo(frame.id());
    assertThat(forged.frmPayload()).isEqualTo(frame.frmPayload());
    assertThat(LorawanCrypto.micValid(PhyPayload.parse(forged.phyPayload()), keys.nwkSKey(), frame.fCnt())).isFalse();
  }

  @Test
  @DisplayName("an old counter replayed with another reading is a well-formed frame with a valid MIC (only the replay guard can tell)")
  void replayedCounter() throws Exception {
    var probe = probe(1, Silence.never());
    var keys = keysOf(probe);
    var first = probe.nextFrame(Instant.now(), ONE_GATEWAY);
    probe.nextFrame(Instant.now(), ONE_GATEWAY);
    var replay = probe.frame(first.fCnt(), first.celsius() + 10, Instant.now(), ONE_GATEWAY);
    assertThat(replay.id()).isEqualTo(first.id());
    assertThat(replay.frmPayload()).isNotEqualTo(first.frmPayload());
    assertThat(LorawanCrypto.micValid(PhyPayload.parse(replay.phyPayload()), keys.nwkSKey(), first.fCnt())).isTrue();
    assertThat(probe.nextFCnt()).as("untouched").isEqualTo(3);
  }

  @Test
  @DisplayName("keys show in the registry's activation only, never in toString")
  void keysStayHidden() {
    var probe = probe(1, Silence.never());
    assertThat(probe.activation().getString("mode")).isEqualTo("ABP");
    assertThat(probe.activation().getString("devAddr")).isEqualTo("26000007");
    assertThat(probe.activation().getString("appSKey")).isEqualTo("101112131415161718191a1b1c1d1e1f");
    assertThat(probe.toString()).doesNotContain("1011121314").doesNotContain("a0a1a2a3").contains("keys hidden");
    assertThat(probe.nextFrame(Instant.now(), ONE_GATEWAY).toString()).doesNotContain("1011121314");
  }

  @Test
  @DisplayName("a probe that goes silent skips readings without using frame counters, then comes back")
  void silence() {
    var probe = probe(1, new Silence(0.2, 5, 10, 3));
    var sent = new ArrayList<Frame>();
    var skipped = 0;
    for (int i = 0; i < 200; i++) {
      var frame = probe.nextFrame(Instant.now(), ONE_GATEWAY);
      if (frame == null) skipped++;
      else sent.add(frame);
    }
    assertThat(skipped).isBetween(40, 190);
    assertThat(sent).isNotEmpty();
    assertThat(sent.stream().mapToLong(Frame::fCnt).toArray()).as("no gap in the counters")
        .containsExactly(java.util.stream.LongStream.rangeClosed(1, sent.size()).toArray());
    var never = probe(1, Silence.never());
    for (int i = 0; i < 100; i++) assertThat(never.nextFrame(Instant.now(), ONE_GATEWAY)).isNotNull();
  }

  private static SessionKeys keysOf(Probe probe) {
    var activation = probe.activation();
    return SessionKeys.fromHex(activation.getString("devAddr"), activation.getString("appSKey"),
        activation.getString("nwkSKey"));
  }
}
