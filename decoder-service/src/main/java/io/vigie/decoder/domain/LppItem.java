package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One Cayenne LPP item: a channel, a type and the raw integer(s) read from the wire.
 *
 * @param raw one integer, or three for accelerometer, gyrometer and GPS
 */
public record LppItem(int channel, LppType type, List<Integer> raw) {

  public LppItem {
    raw = List.copyOf(raw);
    if (raw.size() != type.count()) {
      throw new IllegalArgumentException(type + " has " + type.count() + " values, got " + raw.size());
    }
  }

  /** TTN naming: {@code temperature_1}, {@code digital_in_3}, {@code gps_10}. */
  public String field() {
    return type.ttnName() + "_" + channel;
  }

  /** The engineering value of the {@code index}-th raw integer ({@code raw / scale}). */
  public double value(int index) {
    return raw.get(index) / (double) type.scale(index);
  }

  /** The value of a scalar item. */
  public double value() {
    return value(0);
  }

  /**
   * The value as it goes into {@code decoded}: an integer for unscaled types (digital in/out,
   * presence, illuminance), a decimal otherwise, an object for multi-value types.
   */
  public Object json() {
    if (type.axes().isEmpty()) return type.scale(0) == 1 ? (Object) raw.get(0) : (Object) value();
    var object = new JsonObject();
    for (int i = 0; i < type.axes().size(); i++) object.put(type.axes().get(i), value(i));
    return object;
  }
}
