package io.vigie.decoder.domain;

import java.util.List;
import java.util.Optional;

/**
 * The 12 data types of Cayenne LPP (IPSO object ids minus 3200). Each value is big-endian on the
 * wire: {@code value = raw / scale}, one raw integer per axis.
 */
public enum LppType {
  DIGITAL_INPUT(0, "digital_input", "digital_in", 1, false, List.of(), 1),
  DIGITAL_OUTPUT(1, "digital_output", "digital_out", 1, false, List.of(), 1),
  ANALOG_INPUT(2, "analog_input", "analog_in", 2, true, List.of(), 100),
  ANALOG_OUTPUT(3, "analog_output", "analog_out", 2, true, List.of(), 100),
  ILLUMINANCE(101, "illuminance", "luminosity", 2, false, List.of(), 1),
  PRESENCE(102, "presence", "presence", 1, false, List.of(), 1),
  TEMPERATURE(103, "temperature", "temperature", 2, true, List.of(), 10),
  RELATIVE_HUMIDITY(104, "relative_humidity", "relative_humidity", 1, false, List.of(), 2),
  ACCELEROMETER(113, "accelerometer", "accelerometer", 2, true, List.of("x", "y", "z"), 1000, 1000, 1000),
  BAROMETRIC_PRESSURE(115, "barometric_pressure", "barometric_pressure", 2, false, List.of(), 10),
  GYROMETER(134, "gyrometer", "gyrometer", 2, true, List.of("x", "y", "z"), 100, 100, 100),
  GPS(136, "gps", "gps", 3, true, List.of("latitude", "longitude", "altitude"), 10000, 10000, 100);

  private static final LppType[] BY_CODE = new LppType[256];

  static {
    for (var type : values()) BY_CODE[type.code] = type;
  }

  private final int code;
  private final String ipsoName;
  private final String ttnName;
  private final int bytesPerValue;
  private final boolean signed;
  private final List<String> axes;
  private final int[] scales;

  LppType(int code, String ipsoName, String ttnName, int bytesPerValue, boolean signed, List<String> axes, int... scales) {
    this.code = code;
    this.ipsoName = ipsoName;
    this.ttnName = ttnName;
    this.bytesPerValue = bytesPerValue;
    this.signed = signed;
    this.axes = axes;
    this.scales = scales;
  }

  public static Optional<LppType> byCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
  }

  /** The type byte on the wire. */
  public int code() {
    return code;
  }

  /** The name in the IPSO/Cayenne documentation ({@code digital_input}). */
  public String ipsoName() {
    return ipsoName;
  }

  /** The name in TTN's decoded payloads ({@code digital_in}), used for the {@code decoded} keys. */
  public String ttnName() {
    return ttnName;
  }

  /** Number of raw integers: 1, or 3 for accelerometer, gyrometer and GPS. */
  public int count() {
    return scales.length;
  }

  /** Data bytes after the channel and type bytes. */
  public int size() {
    return bytesPerValue * scales.length;
  }

  int bytesPerValue() {
    return bytesPerValue;
  }

  boolean signed() {
    return signed;
  }

  /** Names of the axes of a multi-value type ({@code x,y,z}, {@code latitude,longitude,altitude}); empty for scalars. */
  public List<String> axes() {
    return axes;
  }

  public int scale(int index) {
    return scales[index];
  }
}
