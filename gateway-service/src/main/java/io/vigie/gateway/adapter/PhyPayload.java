package io.vigie.gateway.adapter;

import java.util.HexFormat;

/**
 * The minimal reading of a LoRaWAN 1.0.x uplink PHYPayload the gateway needs (MHDR, DevAddr, FCnt, FPort and
 * the still-encrypted FRMPayload); no keys, no crypto: the MIC and the payload are the decoder's.
 *
 * <pre>MHDR(1) | DevAddr(4, LE) | FCtrl(1) | FCnt(2, LE) | FOpts(0..15) | [FPort(1) | FRMPayload] | MIC(4)</pre>
 *
 * @param confirmed ConfirmedDataUp (MType 100) rather than UnconfirmedDataUp (010)
 * @param devAddr big-endian, as people write it, 8 lower-case hex digits
 * @param fCnt16 the 16 bits of the counter on the wire (the decoder reconstructs the 32-bit counter)
 * @param fPort null when the frame has no FPort (and so no FRMPayload)
 * @param frmPayloadHex the FRMPayload as on the wire (encrypted), hex
 * @param phyPayloadHex the whole frame, hex
 */
public record PhyPayload(boolean confirmed, String devAddr, int fCnt16, Integer fPort, String frmPayloadHex,
                         String phyPayloadHex) {
  /** MHDR + DevAddr + FCtrl + FCnt + MIC. */
  private static final int MIN_DATA_FRAME = 12;
  private static final int JOIN_REQUEST = 0b000;
  private static final int UNCONFIRMED_DATA_UP = 0b010;
  private static final int CONFIRMED_DATA_UP = 0b100;
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Reads a data-up frame.
   *
   * @throws InvalidUplinkException reason {@code join_request} for a join request (out of scope, counted),
   *     {@code not_data_up} for any other message type, {@code unsupported_major} for a LoRaWAN major version
   *     other than R1, {@code truncated_frame} when the bytes end before the frame does
   */
  public static PhyPayload parse(byte[] frame) {
    if (frame.length < 1) throw new InvalidUplinkException("truncated_frame", "the PHYPayload is empty");
    var mhdr = frame[0] & 0xFF;
    var mtype = mhdr >>> 5;
    if (mtype == JOIN_REQUEST) throw new InvalidUplinkException("join_request", "a join request (OTAA is out of scope)");
    if (mtype != UNCONFIRMED_DATA_UP && mtype != CONFIRMED_DATA_UP) {
      throw new InvalidUplinkException("not_data_up", "MType " + Integer.toBinaryString(mtype) + " is not a data uplink");
    }
    if ((mhdr & 0x03) != 0) throw new InvalidUplinkException("unsupported_major", "LoRaWAN major version " + (mhdr & 0x03));
    if (frame.length < MIN_DATA_FRAME) {
      throw new InvalidUplinkException("truncated_frame", "a data frame has at least 12 bytes, got " + frame.length);
    }
    var devAddr = String.format("%02x%02x%02x%02x", frame[4] & 0xFF, frame[3] & 0xFF, frame[2] & 0xFF, frame[1] & 0xFF);
    var fOptsLength = frame[5] & 0x0F;
    var fCnt16 = (frame[6] & 0xFF) | (frame[7] & 0xFF) << 8;
    var portAt = 8 + fOptsLength;
    var micAt = frame.length - 4;
    if (portAt > micAt) {
      throw new InvalidUplinkException("truncated_frame", "FOptsLen " + fOptsLength + " runs past the end of the frame");
    }
    Integer fPort = null;
    var payload = "";
    if (portAt < micAt) {
      fPort = frame[portAt] & 0xFF;
      payload = HEX.formatHex(frame, portAt + 1, micAt);
    }
    return new PhyPayload(mtype == CONFIRMED_DATA_UP, devAddr, fCnt16, fPort, payload, HEX.formatHex(frame));
  }
}
