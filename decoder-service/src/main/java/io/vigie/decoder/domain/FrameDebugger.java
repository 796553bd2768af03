package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.FrameException;
import io.vigie.lorawan.LorawanCrypto;
import io.vigie.lorawan.MType;
import io.vigie.lorawan.PhyPayload;
import io.vigie.lorawan.SessionKeys;
import io.vigie.lorawan.FrameCounter;

/**
 * The frame debugger behind {@code POST /api/v1/tools/lorawan/decode}: one captured PHYPayload, the keys the
 * operator gives, and what the pipeline would make of it — the same parser and crypto as the pipeline.
 *
 * <p>Request {@code {"phyPayload":"<hex>", "nwkSKey":"<hex>"?, "appSKey":"<hex>"?, "fCnt":<32-bit>?}}. Without
 * {@code fCnt} the 16 bits of the frame are the counter; with it, its low 16 bits must be the frame's. Without
 * NwkSKey {@code micValid} is null; without the key of the FPort (AppSKey for 1..255, NwkSKey for 0)
 * {@code frmPayload} is null. The keys are used for this computation only: never kept, never logged, never in the
 * answer or in an error message.
 */
public final class FrameDebugger {
  private static final HexFormat HEX = HexFormat.of();

  private FrameDebugger() {}

  /**
   * @throws FrameException when the frame cannot be parsed (the message says why)
   * @throws IllegalArgumentException when a request field is missing or malformed (the message names it)
   */
  public static JsonObject inspect(JsonObject request) throws FrameException {
    if (!(request.getValue("phyPayload") instanceof String hex)) {
      throw new IllegalArgumentException("phyPayload (the whole frame, hex) is required");
    }
    var nwkSKey = optionalKey(request, "nwkSKey");
    var appSKey = optionalKey(request, "appSKey");
    var frame = PhyPayload.parseHex(hex.strip());
    var fCnt = counter(request, frame);

    var answer = new JsonObject()
        .put("mtype", frame.mType().wire())
        .put("direction", frame.isUplink() ? "up" : "down")
        .put("devAddr", frame.devAddrHex())
        .put("fCnt", fCnt)
        .put("fCnt16", frame.fCnt16())
        .put("fPort", frame.fPort())
        .put("fOpts", HEX.formatHex(frame.fOpts()))
        .put("adr", frame.adr())
        .put("ack", frame.ack());
    if (frame.isUplink()) {
      answer.put("adrAckReq", frame.adrAckReq());
    } else {
      answer.put("fPending", frame.fPending());
    }
    answer.put("mic", HEX.formatHex(frame.mic()));
    if (nwkSKey != null) {
      var expected = LorawanCrypto.expectedMic(frame, nwkSKey, fCnt);
      answer.put("micValid", org.bouncycastle.util.Arrays.constantTimeAreEqual(expected, frame.mic()))
          .put("micExpected", HEX.formatHex(expected));
    } else {
      answer.put("micValid", null);
    }
    answer.put("frmPayloadEncrypted", HEX.formatHex(frame.frmPayload()));
    var key = frame.fPort() != null && frame.fPort() == 0 ? nwkSKey : appSKey;
    if (frame.frmPayload().length == 0) {
      answer.put("frmPayload", "");
    } else if (key == null) {
      answer.put("frmPayload", null);
    } else {
      answer.put("frmPayload", HEX.formatHex(LorawanCrypto.cipher(key, frame.isUplink(), frame.devAddr(), fCnt,
          frame.frmPayload())));
    }
    return answer;
  }

  private static long counter(JsonObject request, PhyPayload frame) {
    var value = request.getValue("fCnt");
    if (value == null) return frame.fCnt16();
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new IllegalArgumentException("fCnt must be an integer (the full 32-bit frame counter)");
    }
    var fCnt = number.longValue();
    if (fCnt < 0 || fCnt > FrameCounter.MAX) {
      throw new IllegalArgumentException("fCnt must be 0.." + FrameCounter.MAX + ", got " + fCnt);
    }
    if ((fCnt & 0xFFFF) != frame.fCnt16()) {
      throw new IllegalArgumentException("fCnt " + fCnt + " does not end with the frame's 16-bit counter "
          + frame.fCnt16() + " (its low 16 bits are " + (fCnt & 0xFFFF) + ")");
    }
    return fCnt;
  }

  private static byte[] optionalKey(JsonObject request, String field) {
    var value = request.getValue(field);
    if (value == null) return null;
    if (!(value instanceof String hex)) throw new IllegalArgumentException(field + " must be 32 hex digits (16 bytes)");
    return SessionKeys.key(hex.strip(), field);
  }
}
