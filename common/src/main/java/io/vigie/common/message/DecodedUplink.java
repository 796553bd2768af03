package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@link io.vigie.common.Addresses#UPLINK_DECODED}: the decoded {@link Measurement} (its JSON, as is)
 * plus, under {@value #CONTEXT}, the device context the decoder resolved, so that the enrichment does not ask the
 * registry again. The context is not part of the measurement: nothing stores it.
 *
 * @param context the device's registry context, or null when the sender did not give it
 */
public record DecodedUplink(Measurement measurement, DeviceContext context) {
  public static final String CONTEXT = "deviceContext";

  public JsonObject toJson() {
    var json = measurement.toJson();
    if (context != null) json.put(CONTEXT, context.toJson());
    return json;
  }

  public static DecodedUplink fromJson(JsonObject json) {
    var context = json.getValue(CONTEXT) instanceof JsonObject c ? DeviceContext.fromJson(c) : null;
    return new DecodedUplink(Measurement.fromJson(json), context);
  }
}
