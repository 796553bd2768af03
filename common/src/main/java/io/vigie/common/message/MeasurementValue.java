package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/**
 * One canonical measurement: SenML name, UCUM unit, value, and the sensor's channel when the codec numbers its
 * sensors (Cayenne LPP: a second temperature is {@code temperature} on channel 2, not a new name).
 *
 * @param channel null when the codec gives none
 */
public record MeasurementValue(String name, String unit, double value, Integer channel) {

  /** A measurement without channel. */
  public MeasurementValue(String name, String unit, double value) {
    this(name, unit, value, null);
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("name", name).put("unit", unit).put("value", value);
    if (channel != null) json.put("channel", channel);
    return json;
  }

  public static MeasurementValue fromJson(JsonObject json) {
    return new MeasurementValue(json.getString("name"), json.getString("unit"), json.getDouble("value"),
        json.getInteger("channel"));
  }
}
