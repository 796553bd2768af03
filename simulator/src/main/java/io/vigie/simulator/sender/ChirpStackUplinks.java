package io.vigie.simulator.sender;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.Frame;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ChirpStack v4 {@code up} events (HTTP integration with the JSON encoding; the MQTT integration publishes the same
 * JSON), as ChirpStack writes them for a device whose AppSKey it does not hold: {@code data} is the FRMPayload still
 * encrypted and {@code joinServerContext} is present. Fields at their protobuf default (0, false, empty) are left
 * out, as ChirpStack does: a first frame has no {@code fCnt}.
 */
public final class ChirpStackUplinks {
  /** The simulated ChirpStack application (also in the MQTT topic). */
  public static final String APPLICATION_ID = "5f0c7e2a-3b1d-4c6e-9a8f-1e2d3c4b5a69";

  private ChirpStackUplinks() {}

  public static JsonObject up(Frame frame) {
    var body = new JsonObject()
        .put("deduplicationId", UUID.randomUUID().toString())
        .put("time", frame.time().toString())
        .put("deviceInfo", new JsonObject()
            .put("tenantId", "52f14cd4-c6f1-4fbd-8f87-4025e1d49242")
            .put("tenantName", "Vigie simulator")
            .put("applicationId", APPLICATION_ID)
            .put("applicationName", "Cold chain")
            .put("deviceProfileName", "LPP probe (ABP)")
            .put("deviceName", frame.deviceName())
            .put("devEui", frame.devEui()))
        .put("devAddr", frame.devAddrHex())
        .put("dr", 5)
        .put("fPort", frame.fPort())
        .put("data", Base64.getEncoder().encodeToString(frame.frmPayload()))
        // ChirpStack had no AppSKey (a join server, here the application, holds it): data is still encrypted
        .put("joinServerContext", new JsonObject().put("sessionKeyId", frame.devAddrHex()))
        .put("txInfo", new JsonObject().put("frequency", 868_100_000).put("modulation", new JsonObject()
            .put("lora", new JsonObject().put("bandwidth", 125_000).put("spreadingFactor", 7).put("codeRate", "CR_4_5"))));
    if (frame.fCnt() != 0) body.put("fCnt", frame.fCnt());
    var rxInfo = new JsonArray();
    for (var rx : frame.receptions()) {
      rxInfo.add(new JsonObject().put("gatewayId", rx.gatewayEui()).put("uplinkId", ThreadLocalRandom.current().nextInt(1, 65536))
          .put("rssi", (int) rx.rssi()).put("snr", rx.snr()).put("context", "AAAAAA=="));
    }
    return body.put("rxInfo", rxInfo);
  }
}
