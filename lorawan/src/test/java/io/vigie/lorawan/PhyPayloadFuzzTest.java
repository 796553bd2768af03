package io.vigie.lorawan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Coverage-guided fuzzing of the PHYPayload parser and of the crypto a parsed frame reaches (docs/fuzzing.md). The
 * contract: any bytes either parse into a frame whose MIC can be computed and whose FRMPayload can be deciphered, or
 * are refused with a {@link FrameException} that gives its reason; anything else thrown is a crash. In the suite the
 * seeds of {@code PhyPayloadFuzzTestInputs/frame/} (public vectors, a join request, a frame without FPort) and any
 * crash file found there run; {@code bench/fuzz} fuzzes.
 */
class PhyPayloadFuzzTest {
  private static final byte[] NWK_S_KEY = HexFormat.of().parseHex("6e24a775c2eaef5fbcdd1bcff4a08de8");
  private static final byte[] APP_S_KEY = HexFormat.of().parseHex("7e2355bf3dd0fe94fdacc71a2a2583b5");
  /** A last accepted counter near the 32-bit end, so that the counter reconstruction wraps for some frames. */
  private static final long LAST_NEAR_THE_END = FrameCounter.MAX - 20;

  @FuzzTest
  void frame(byte[] bytes) {
    PhyPayload frame;
    try {
      frame = PhyPayload.parse(bytes);
    } catch (FrameException refused) {
      assertThat(refused.reason()).isNotNull();
      assertThat(refused.getMessage()).isNotBlank();
      sameAsHex(bytes, refused.reason());
      return;
    }
    sameAsHex(bytes, null);
    assertThat(frame.mType().isDataFrame()).isTrue();
    assertThat(frame.mic()).hasSize(LorawanCrypto.MIC_LENGTH);
    assertThat(frame.micCoveredLength()).isEqualTo(bytes.length - LorawanCrypto.MIC_LENGTH);
    for (long last : new long[] {FrameCounter.NONE, frame.fCnt16(), LAST_NEAR_THE_END}) {
      var fCnt32 = FrameCounter.reconstruct(frame.fCnt16(), last);
      LorawanCrypto.micValid(frame, NWK_S_KEY, fCnt32);
      assertThat(LorawanCrypto.decryptFrmPayload(frame, APP_S_KEY, NWK_S_KEY, fCnt32)).hasSameSizeAs(frame.frmPayload());
    }
    assertThat(frame.toString()).contains(frame.devAddrHex());
  }

  /** Bytes as any text: hex that parses like the bytes, or a refusal with a reason. */
  @FuzzTest
  void hex(byte[] bytes) {
    try {
      var frame = PhyPayload.parseHex(new String(bytes, StandardCharsets.ISO_8859_1));
      assertThat(frame.bytes()).isNotEmpty();
    } catch (FrameException refused) {
      assertThat(refused.reason()).isNotNull();
    }
  }

  /** The hex form of the same bytes is read the same: parsed, or refused for the same reason. */
  private static void sameAsHex(byte[] bytes, FrameException.Reason expected) {
    FrameException.Reason reason = null;
    try {
      PhyPayload.parseHex(HexFormat.of().formatHex(bytes));
    } catch (FrameException refused) {
      reason = refused.reason();
    }
    assertThat(reason).isEqualTo(expected);
  }
}
