package io.vigie.common.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.JsonObject;
import io.vigie.common.json.JsonText;
import java.io.IOException;

/** Radio metadata of one gateway that heard an uplink. */
public record RxInfo(String gatewayId, Double rssi, Double snr) {

  public JsonObject toJson() {
    var json = new JsonObject().put("gatewayId", gatewayId);
    if (rssi != null) json.put("rssi", rssi);
    if (snr != null) json.put("snr", snr);
    return json;
  }

  /** {@link #toJson()} written with a generator (the same fields, in the same order). */
  void write(JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField("gatewayId", gatewayId);
    JsonText.optional(generator, "rssi", rssi);
    JsonText.optional(generator, "snr", snr);
    generator.writeEndObject();
  }

  public static RxInfo fromJson(JsonObject json) {
    return new RxInfo(json.getString("gatewayId"), json.getDouble("rssi"), json.getDouble("snr"));
  }
}
