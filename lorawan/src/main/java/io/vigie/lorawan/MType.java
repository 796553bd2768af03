package io.vigie.lorawan;

/**
 * The message type in the top three bits of the MHDR (LoRaWAN 1.0.x §4.2.1), in code order (the ordinal is the
 * code), with the names lora-packet uses.
 */
public enum MType {
  JOIN_REQUEST("JoinRequest"),
  JOIN_ACCEPT("JoinAccept"),
  UNCONFIRMED_DATA_UP("UnconfirmedDataUp"),
  UNCONFIRMED_DATA_DOWN("UnconfirmedDataDown"),
  CONFIRMED_DATA_UP("ConfirmedDataUp"),
  CONFIRMED_DATA_DOWN("ConfirmedDataDown"),
  RFU("RFU"),
  PROPRIETARY("Proprietary");

  private static final MType[] BY_CODE = values();
  private final String wire;

  MType(String wire) {
    this.wire = wire;
  }

  /** {@code UnconfirmedDataUp}, {@code ConfirmedDataDown}, … */
  public String wire() {
    return wire;
  }

  public boolean isDataFrame() {
    return this == UNCONFIRMED_DATA_UP || this == CONFIRMED_DATA_UP || this == UNCONFIRMED_DATA_DOWN
        || this == CONFIRMED_DATA_DOWN;
  }

  public boolean isUplink() {
    return this == UNCONFIRMED_DATA_UP || this == CONFIRMED_DATA_UP;
  }

  static MType fromMhdr(int mhdr) {
    return BY_CODE[(mhdr >> 5) & 0x07];
  }
}
