package io.vigie.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Builds ChirpStack v4 HTTP-integration uplink bodies, with ChirpStack's habit of omitting zeros. */
public final class ChirpStackUplinks {
  private ChirpStackUplinks() {}

  public static JsonObject uplink(String devEui, String deviceName, long fCnt, int fPort, byte[] payload,
                                  String gatewayId, Instant time) {
    var body = new JsonObject()
        .put("deduplicationId", UUID.randomUUID().toString())
        .put("time", time.toString())
        .put("deviceInfo", new JsonObject()
            .put("tenantName", "Vigie simulator")
            .put("applicationName", "Cold chain")
            .put("deviceProfileName", "LPP probe")
            .put("deviceName", deviceName)
            .put("devEui", devEui))
        .put("devAddr", devEui.substring(8))
        .put("dr", 5)
        .put("fPort", fPort)
        .put("data", Base64.getEncoder().encodeToString(payload))
        .put("rxInfo", new JsonArray().add(new JsonObject()
            .put("gatewayId", gatewayId).put("rssi", -90).put("snr", 7.5)));
    if (fCnt != 0) body.put("fCnt", fCnt);
    return body;
  }
}
