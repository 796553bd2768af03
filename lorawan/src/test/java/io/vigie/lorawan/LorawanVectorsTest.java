package io.vigie.lorawan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public LoRaWAN vectors ({@code /work/shared/vectors/lorawan-uplinks-public.json} and
 * {@code lorawan-downlinks-public.json}, copied unchanged under {@code src/test/resources/vectors/}), made with
 * the npm {@code lora-packet} and cross-checked by an independent implementation.
 */
class LorawanVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonObject UPLINKS = load("/vectors/lorawan-uplinks-public.json");
  private static final JsonObject DOWNLINKS = load("/vectors/lorawan-downlinks-public.json");

  static JsonObject load(String resource) {
    try (var in = LorawanVectorsTest.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing " + resource);
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<JsonObject> uplinks() {
    return UPLINKS.getJsonArray("vectors").stream().map(JsonObject.class::cast);
  }

  static Stream<JsonObject> downlinks() {
    return DOWNLINKS.getJsonArray("vectors").stream().map(JsonObject.class::cast);
  }

  static Stream<JsonObject> all() {
    return Stream.concat(uplinks(), downlinks());
  }

  @Test
  @DisplayName("the whole files are used: 200 uplinks of which 20 invalid (5 of each kind), 20 downlinks of which 2 invalid")
  void wholeFiles() {
    assertThat(uplinks().count()).isEqualTo(200L).isEqualTo(UPLINKS.getLong("count"));
    assertThat(uplinks().filter(v -> !v.getBoolean("micValid")).count()).isEqualTo(20L);
    for (var reason : new String[] {"mic_bitflip", "wrong_nwkskey", "payload_tampered", "fcnt_msb_dropped"}) {
      assertThat(uplinks().filter(v -> reason.equals(v.getString("invalidReason"))).count()).as(reason).isEqualTo(5L);
    }
    assertThat(downlinks().count()).isEqualTo(20L).isEqualTo(DOWNLINKS.getLong("count"));
    assertThat(downlinks().filter(v -> !v.getBoolean("micValid")).count()).isEqualTo(2L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  @DisplayName("every frame parses into the vector's fields")
  void parses(JsonObject vector) throws FrameException {
    var frame = PhyPayload.parseHex(vector.getString("phyPayloadHex"));

    assertThat(frame.mType().wire()).isEqualTo(vector.getString("mtype"));
    assertThat(frame.devAddrHex()).isEqualTo(vector.getString("devAddr"));
    assertThat(frame.fCtrl()).isEqualTo(Integer.parseInt(vector.getString("fCtrlHex"), 16));
    assertThat(frame.adr()).isEqualTo(vector.getBoolean("adr"));
    assertThat(frame.ack()).isEqualTo(vector.getBoolean("ack"));
    if (vector.containsKey("adrAckReq")) assertThat(frame.adrAckReq()).isEqualTo(vector.getBoolean("adrAckReq"));
    if (vector.containsKey("fPending")) assertThat(frame.fPending()).isEqualTo(vector.getBoolean("fPending"));
    assertThat(HEX.formatHex(frame.fOpts())).isEqualTo(vector.getString("fOpts"));
    assertThat(frame.fCnt16()).isEqualTo(vector.getInteger("fCnt16"));
    assertThat(frame.fPort()).isEqualTo(vector.getInteger("fPort"));
    assertThat(HEX.formatHex(frame.frmPayload())).isEqualTo(vector.getString("frmPayloadEncryptedHex"));
    assertThat(HEX.formatHex(frame.mic())).isEqualTo(vector.getString("micHex"));
    assertThat(frame.isUplink()).isEqualTo(vector.getString("mtype").endsWith("Up"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  @DisplayName("every FRMPayload decrypts to the vector's plaintext with the full 32-bit counter (NwkSKey on FPort 0)")
  void decrypts(JsonObject vector) throws FrameException {
    var frame = PhyPayload.parseHex(vector.getString("phyPayloadHex"));

    var plain = LorawanCrypto.decryptFrmPayload(frame, key(vector, "appSKeyHex"), key(vector, "nwkSKeyHex"),
        vector.getLong("fCnt"));

    assertThat(HEX.formatHex(plain)).isEqualTo(vector.getString("frmPayloadPlainHex"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  @DisplayName("every MIC verdict is the vector's, including mic_bitflip, wrong_nwkskey, payload_tampered and fcnt_msb_dropped")
  void micVerdict(JsonObject vector) throws FrameException {
    var frame = PhyPayload.parseHex(vector.getString("phyPayloadHex"));
    var nwkSKey = key(vector, "nwkSKeyHex");
    var fCnt = vector.getLong("fCnt");

    assertThat(LorawanCrypto.micValid(frame, nwkSKey, fCnt)).as(vector.getString("invalidReason"))
        .isEqualTo(vector.getBoolean("micValid"));
    assertThat(HEX.formatHex(LorawanCrypto.expectedMic(frame, nwkSKey, fCnt))).isEqualTo(vector.getString("micExpectedHex"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uplinks")
  @DisplayName("every counter is reconstructed from its 16 wire bits and a last counter behind it, and the MIC verdict holds")
  void reconstructs(JsonObject vector) throws FrameException {
    var frame = PhyPayload.parseHex(vector.getString("phyPayloadHex"));
    var fCnt = vector.getLong("fCnt");

    for (var behind : new long[] {1, 2, 100, FrameCounter.MAX_FCNT_GAP}) {
      if (fCnt - behind < 0) continue;
      var reconstructed = FrameCounter.reconstruct(frame.fCnt16(), fCnt - behind);
      assertThat(reconstructed).as("last = fCnt - %d", behind).isEqualTo(fCnt);
      assertThat(LorawanCrypto.micValid(frame, key(vector, "nwkSKeyHex"), reconstructed))
          .isEqualTo(vector.getBoolean("micValid"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uplinks")
  @DisplayName("every frame rebuilt from its fields with the session keys is the vector's frame, unless it was made invalid")
  void encodes(JsonObject vector) {
    var mType = MType.valueOf(vector.getString("mtype").replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());

    var frame = DataFrames.encode(mType, Integer.parseUnsignedInt(vector.getString("devAddr"), 16),
        Integer.parseInt(vector.getString("fCtrlHex"), 16), vector.getLong("fCnt"), HEX.parseHex(vector.getString("fOpts")),
        vector.getInteger("fPort"), HEX.parseHex(vector.getString("frmPayloadPlainHex")), key(vector, "appSKeyHex"),
        key(vector, "nwkSKeyHex"));

    if (vector.getBoolean("micValid")) {
      assertThat(HEX.formatHex(frame)).isEqualTo(vector.getString("phyPayloadHex"));
    } else {
      assertThat(HEX.formatHex(frame)).isNotEqualTo(vector.getString("phyPayloadHex"));
    }
  }

  private static byte[] key(JsonObject vector, String field) {
    return HEX.parseHex(vector.getString(field));
  }
}
