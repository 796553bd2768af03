package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;

/**
 * A device as the API shows it: never its session keys.
 *
 * @param activationMode {@link #ABP} or {@link #NETWORK_DECRYPTED}
 * @param devAddr        8 hex digits for ABP, else null
 */
public record Device(String devEui, String tenant, String name, String nodeId, String type, String activationMode,
                     String devAddr) {
  public static final String ABP = "ABP";
  public static final String NETWORK_DECRYPTED = "network-decrypted";

  public boolean abp() {
    return ABP.equals(activationMode);
  }

  public JsonObject toJson() {
    var activation = new JsonObject().put("mode", activationMode);
    if (devAddr != null) activation.put("devAddr", devAddr);
    return new JsonObject().put("devEui", devEui).put("tenant", tenant).put("name", name).put("nodeId", nodeId)
        .put("type", type).put("activation", activation);
  }
}
