package io.vigie.lorawan;

/**
 * Builds a data frame the way a device (uplink) or a network server (downlink) does: encrypted FRMPayload and
 * MIC over the full 32-bit counter. The inverse of {@link PhyPayload#parse} with {@link LorawanCrypto}: the
 * simulator's probes, the tests and the benchmarks make their frames here, never by hand.
 */
public final class DataFrames {
  private DataFrames() {}

  /**
   * @param fCtrl the FCtrl flags (ADR 0x80, ADRACKReq/RFU 0x40, ACK 0x20, FPending/ClassB 0x10); FOptsLen is set from
   *     {@code fOpts}
   * @param fPort null for a frame without FPort (then {@code plain} must be empty)
   */
  public static byte[] encode(MType mType, int devAddr, int fCtrl, long fCnt32, byte[] fOpts, Integer fPort,
                              byte[] plain, byte[] appSKey, byte[] nwkSKey) {
    if (!mType.isDataFrame()) throw new IllegalArgumentException(mType.wire() + " is not a data frame");
    if (fOpts.length > 15) throw new IllegalArgumentException("FOpts holds at most 15 bytes");
    if (fPort == null && plain.length > 0) throw new IllegalArgumentException("a FRMPayload needs an FPort");
    var uplink = mType.isUplink();
    var length = 8 + fOpts.length + (fPort == null ? 0 : 1 + plain.length) + LorawanCrypto.MIC_LENGTH;
    if (length > PhyPayload.MAX_LENGTH) throw new IllegalArgumentException("the frame would be " + length + " bytes");
    var frame = new byte[length];
    frame[0] = (byte) (mType.ordinal() << 5);
    frame[1] = (byte) devAddr;
    frame[2] = (byte) (devAddr >>> 8);
    frame[3] = (byte) (devAddr >>> 16);
    frame[4] = (byte) (devAddr >>> 24);
    frame[5] = (byte) ((fCtrl & 0xF0) | fOpts.length);
    frame[6] = (byte) fCnt32;
    frame[7] = (byte) (fCnt32 >>> 8);
    System.arraycopy(fOpts, 0, frame, 8, fOpts.length);
    var at = 8 + fOpts.length;
    if (fPort != null) {
      frame[at++] = (byte) (int) fPort;
      var key = fPort == 0 ? nwkSKey : appSKey;
      var encrypted = LorawanCrypto.cipher(key, uplink, devAddr, fCnt32, plain);
      System.arraycopy(encrypted, 0, frame, at, encrypted.length);
      at += encrypted.length;
    }
    var mic = LorawanCrypto.mic(nwkSKey, uplink, devAddr, fCnt32, frame, at);
    System.arraycopy(mic, 0, frame, at, mic.length);
    return frame;
  }

  /** An unconfirmed uplink without FOpts, from a device of this session. */
  public static byte[] uplink(SessionKeys session, long fCnt32, int fPort, byte[] plain) {
    return uplink(session.devAddr(), fCnt32, fPort, plain, session.appSKey(), session.nwkSKey());
  }

  /** An unconfirmed uplink without FOpts. */
  public static byte[] uplink(int devAddr, long fCnt32, int fPort, byte[] plain, byte[] appSKey, byte[] nwkSKey) {
    return encode(MType.UNCONFIRMED_DATA_UP, devAddr, 0, fCnt32, new byte[0], fPort, plain, appSKey, nwkSKey);
  }
}
