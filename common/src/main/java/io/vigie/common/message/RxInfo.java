package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/** Radio metadata of one gateway that heard an uplink. */
public record RxInfo(String gatewayId, Double rssi, Double snr) {

  public JsonObject toJson() {
    var json = new JsonObject().put("gatewayId", gatewayId);
    if (rssi != null) json.put("rssi", rssi);
    if (snr != null) json.put("snr", snr);
    return json;
  }

  public static RxInfo fromJson(JsonObject json) {
    return new RxInfo(json.getString("gatewayId"), json.getDouble("rssi"), json.getDouble("snr"));
  }
}
