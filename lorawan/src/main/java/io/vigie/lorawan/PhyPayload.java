package io.vigie.lorawan;

import static io.vigie.lorawan.FrameException.Reason.FRAME_TOO_LONG;
import static io.vigie.lorawan.FrameException.Reason.MAC_COMMANDS_TWICE;
import static io.vigie.lorawan.FrameException.Reason.NOT_DATA_FRAME;
import static io.vigie.lorawan.FrameException.Reason.NOT_HEX;
import static io.vigie.lorawan.FrameException.Reason.TRUNCATED_FRAME;
import static io.vigie.lorawan.FrameException.Reason.UNSUPPORTED_MAJOR;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A LoRaWAN 1.0.x data frame as sent over the air (§4): {@code MHDR | DevAddr(LE) | FCtrl | FCnt16(LE) | FOpts |
 * [FPort | FRMPayload] | MIC}. Uplinks (Unconfirmed/ConfirmedDataUp) and downlinks (…DataDown, for the frame
 * debugger) parse; join requests, join accepts, RFU and proprietary frames are refused with the reason
 * ({@link FrameException#reason()}).
 *
 * <p>Immutable as long as nobody writes into the arrays it hands out: the hot path avoids copies.
 */
public final class PhyPayload {
  /** The largest PHYPayload any region allows. */
  public static final int MAX_LENGTH = 255;
  /** MHDR (1) + DevAddr (4) + FCtrl (1) + FCnt (2) + MIC (4). */
  public static final int MIN_DATA_LENGTH = 12;

  private final byte[] bytes;
  private final MType mType;
  private final int devAddr;
  private final int fCtrl;
  private final int fCnt16;
  private final byte[] fOpts;
  private final Integer fPort;
  private final byte[] frmPayload;
  private final byte[] mic;

  private PhyPayload(byte[] bytes, MType mType, int devAddr, int fCtrl, int fCnt16, byte[] fOpts, Integer fPort,
                     byte[] frmPayload, byte[] mic) {
    this.bytes = bytes;
    this.mType = mType;
    this.devAddr = devAddr;
    this.fCtrl = fCtrl;
    this.fCnt16 = fCnt16;
    this.fOpts = fOpts;
    this.fPort = fPort;
    this.frmPayload = frmPayload;
    this.mic = mic;
  }

  /** Parses hex (any case); a refusal says why in its message and its {@link FrameException#reason()}. */
  public static PhyPayload parseHex(String hex) throws FrameException {
    if (hex == null || hex.isEmpty()) throw new FrameException(TRUNCATED_FRAME, "the PHYPayload is empty");
    byte[] frame;
    try {
      frame = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new FrameException(NOT_HEX, "the PHYPayload is not hex (an even number of 0-9a-f digits)");
    }
    return parse(frame);
  }

  /** Parses a whole PHYPayload; the array is kept, not copied. */
  public static PhyPayload parse(byte[] frame) throws FrameException {
    if (frame.length == 0) throw new FrameException(TRUNCATED_FRAME, "the PHYPayload is empty");
    if (frame.length > MAX_LENGTH) {
      throw new FrameException(FRAME_TOO_LONG, "the PHYPayload is " + frame.length + " bytes, longer than the " + MAX_LENGTH + " LoRaWAN allows");
    }
    var mhdr = frame[0] & 0xFF;
    var mType = MType.fromMhdr(mhdr);
    switch (mType) {
      case JOIN_REQUEST -> throw new FrameException(FrameException.Reason.JOIN_REQUEST,
          "this is a join request (MType JoinRequest): over-the-air activation is not handled, only data frames of ABP sessions");
      case JOIN_ACCEPT -> throw new FrameException(NOT_DATA_FRAME, "this is a join accept (MType JoinAccept): only data frames are handled");
      case RFU -> throw new FrameException(NOT_DATA_FRAME, "MType 6 is reserved (RFU) in LoRaWAN 1.0.x: not a data frame");
      case PROPRIETARY -> throw new FrameException(NOT_DATA_FRAME, "this is a proprietary frame (MType Proprietary): its format is vendor-defined");
      default -> { }
    }
    if ((mhdr & 0x03) != 0) {
      throw new FrameException(UNSUPPORTED_MAJOR, "LoRaWAN major version " + (mhdr & 0x03) + " is not supported (only R1, major 0)");
    }
    if (frame.length < MIN_DATA_LENGTH) {
      throw new FrameException(TRUNCATED_FRAME, "a data frame needs at least " + MIN_DATA_LENGTH + " bytes (MHDR, FHDR, MIC), got " + frame.length);
    }
    var devAddr = (frame[1] & 0xFF) | (frame[2] & 0xFF) << 8 | (frame[3] & 0xFF) << 16 | (frame[4] & 0xFF) << 24;
    var fCtrl = frame[5] & 0xFF;
    var fCnt16 = (frame[6] & 0xFF) | (frame[7] & 0xFF) << 8;
    var fOptsLen = fCtrl & 0x0F;
    var micOffset = frame.length - 4;
    var fOptsEnd = 8 + fOptsLen;
    if (fOptsEnd > micOffset) {
      throw new FrameException(TRUNCATED_FRAME, "FCtrl announces " + fOptsLen + " bytes of FOpts but the frame holds only "
          + (micOffset - 8) + " before the MIC");
    }
    Integer fPort = null;
    var frmPayload = new byte[0];
    if (fOptsEnd < micOffset) {
      fPort = frame[fOptsEnd] & 0xFF;
      frmPayload = Arrays.copyOfRange(frame, fOptsEnd + 1, micOffset);
      if (fPort == 0 && fOptsLen > 0) {
        throw new FrameException(MAC_COMMANDS_TWICE, "MAC commands both in FOpts and in an FPort 0 payload: LoRaWAN forbids it");
      }
    }
    return new PhyPayload(frame, mType, devAddr, fCtrl, fCnt16, Arrays.copyOfRange(frame, 8, fOptsEnd), fPort,
        frmPayload, Arrays.copyOfRange(frame, micOffset, frame.length));
  }

  /** The frame as parsed. */
  public byte[] bytes() {
    return bytes;
  }

  public MType mType() {
    return mType;
  }

  public boolean isUplink() {
    return mType.isUplink();
  }

  /** DevAddr as a 32-bit value (the integer people write in hex). */
  public int devAddr() {
    return devAddr;
  }

  /** DevAddr as people write it: 8 lower-case hex digits, big-endian ({@code 26011bda}). */
  public String devAddrHex() {
    return devAddrHex(devAddr);
  }

  public static String devAddrHex(int devAddr) {
    return String.format(Locale.ROOT, "%08x", devAddr);
  }

  public int fCtrl() {
    return fCtrl;
  }

  public boolean adr() {
    return (fCtrl & 0x80) != 0;
  }

  /** ADRACKReq (uplinks); the same bit is RFU on downlinks. */
  public boolean adrAckReq() {
    return isUplink() && (fCtrl & 0x40) != 0;
  }

  public boolean ack() {
    return (fCtrl & 0x20) != 0;
  }

  /** FPending (downlinks); the same bit is ClassB on 1.0.2+ uplinks. */
  public boolean fPending() {
    return !isUplink() && (fCtrl & 0x10) != 0;
  }

  /** The 16 low bits of the frame counter, as on the wire. */
  public int fCnt16() {
    return fCnt16;
  }

  /** MAC commands piggybacked in the header (in clear in 1.0.x); empty when FOptsLen is 0. */
  public byte[] fOpts() {
    return fOpts;
  }

  /** Null when the frame has no FPort (and so no FRMPayload). */
  public Integer fPort() {
    return fPort;
  }

  /** FRMPayload as on the wire (encrypted). */
  public byte[] frmPayload() {
    return frmPayload;
  }

  public byte[] mic() {
    return mic;
  }

  /** How many bytes the MIC covers: everything before it. */
  public int micCoveredLength() {
    return bytes.length - 4;
  }

  @Override
  public String toString() {
    return mType.wire() + " devAddr=" + devAddrHex() + " fCnt16=" + fCnt16 + " fPort=" + fPort
        + " frmPayload=" + frmPayload.length + " bytes";
  }
}
