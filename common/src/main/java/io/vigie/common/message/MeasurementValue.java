package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/** One canonical measurement: SenML name, UCUM unit, value. */
public record MeasurementValue(String name, String unit, double value) {
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("unit", unit).put("value", value);
  }

  public static MeasurementValue fromJson(JsonObject json) {
    return new MeasurementValue(json.getString("name"), json.getString("unit"), json.getDouble("value"));
  }
}
