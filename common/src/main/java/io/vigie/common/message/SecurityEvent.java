package io.vigie.common.message;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@code uplink.security}: a security event on an uplink, published by the decoder (MIC failure, replay,
 * counter reset) and by the gateway (a raw frame whose counter was already appended: a replay).
 *
 * @param kind {@code mic-failure}, {@code replay} or {@code fcnt-reset}
 * @param tenant the device's tenant, or null when it could not be found
 * @param fCnt the counter the event is about (the 16-bit wire value for a raw frame refused at the gateway)
 * @param detail a human-readable reason; never a key
 */
public record SecurityEvent(String kind, Uplink uplink, String tenant, long fCnt, String detail) {
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind).put("devEui", uplink.devEui()).put("tenant", tenant).put("fCnt", fCnt)
        .put("receivedAt", uplink.receivedAt().toString()).put("source", uplink.source()).put("detail", detail);
  }
}
