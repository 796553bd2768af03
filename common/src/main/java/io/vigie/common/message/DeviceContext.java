package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * What the registry tells the pipeline about a device (reply of
 * {@link io.vigie.common.Addresses#REGISTRY_DEVICE_CONTEXT}). Never carries session keys.
 *
 * @param activationMode {@code ABP} or {@code network-decrypted}
 * @param deviceType the device type as stored ({@code {"id","name","codec":{"kind","script"?},"measurements"?}}), or null
 * @param path from the tenant root (kind {@code tenant}) down to the device's node
 * @param nodeAttributes the attributes of the device's node ({@code {}} when none)
 */
public record DeviceContext(String devEui, String tenant, String name, String type, String nodeId,
                            String activationMode, JsonObject deviceType, List<PathElement> path,
                            JsonObject nodeAttributes) {

  public DeviceContext {
    Objects.requireNonNull(devEui, "devEui");
    Objects.requireNonNull(tenant, "tenant");
    path = path == null ? List.of() : List.copyOf(path);
    nodeAttributes = nodeAttributes == null ? new JsonObject() : nodeAttributes;
  }

  /** A context whose node has no attributes. */
  public DeviceContext(String devEui, String tenant, String name, String type, String nodeId, String activationMode,
                       JsonObject deviceType, List<PathElement> path) {
    this(devEui, tenant, name, type, nodeId, activationMode, deviceType, path, null);
  }

  /** The ids of {@link #path()}, root first: what access checks work on. */
  public List<String> pathIds() {
    return path.stream().map(PathElement::id).toList();
  }

  /** The codec kind of the device type: {@code cayenne-lpp}, {@code javascript} or {@code none}. */
  public String codecKind() {
    if (deviceType == null) return "none";
    var codec = deviceType.getJsonObject("codec");
    return codec == null ? "none" : codec.getString("kind", "none");
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("devEui", devEui).put("tenant", tenant).put("name", name).put("type", type)
        .put("nodeId", nodeId).put("activationMode", activationMode)
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()));
    if (deviceType != null) json.put("deviceType", deviceType);
    if (!nodeAttributes.isEmpty()) json.put("nodeAttributes", nodeAttributes);
    return json;
  }

  public static DeviceContext fromJson(JsonObject json) {
    return new DeviceContext(json.getString("devEui"), json.getString("tenant"), json.getString("name"),
        json.getString("type"), json.getString("nodeId"), json.getString("activationMode"),
        json.getJsonObject("deviceType"),
        json.getJsonArray("path", new JsonArray()).stream().map(o -> PathElement.fromJson((JsonObject) o)).toList(),
        json.getJsonObject("nodeAttributes"));
  }
}
