package io.vigie.registry.api;

import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.domain.Activation;
import io.vigie.registry.domain.DeviceChange;
import io.vigie.registry.domain.DeviceSpec;
import java.util.Set;

/** Validation of device bodies (create, PATCH, import rows). Messages name the field, never echo a key. */
final class DeviceInput {
  private static final Set<String> PATCHABLE = Set.of("name", "nodeId", "type", "activation");

  private DeviceInput() {}

  /**
   * A full device: {@code {"devEui","name","nodeId","type","activation":{…}}}; with {@code flat}, the activation
   * may also be given as top-level {@code mode}, {@code devAddr}, {@code appSKey}, {@code nwkSKey} (import rows).
   */
  static DeviceSpec spec(JsonObject body, boolean flat) {
    if (!(body.getValue("devEui") instanceof String rawEui)) throw ApiException.badRequest("devEui is required");
    var devEui = MessageIds.normalizeDevEui(rawEui);
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var nodeId = Requests.requiredId(body, "nodeId");
    var type = Requests.requiredId(body, "type");
    Activation activation;
    if (flat && body.getValue("activation") == null) {
      activation = Activation.parse(body.getValue("mode"), body.getValue("devAddr"), body.getValue("appSKey"),
          body.getValue("nwkSKey"));
    } else {
      activation = Activation.parse(Requests.optionalObject(body, "activation"));
    }
    return new DeviceSpec(devEui, name, nodeId, type, activation);
  }

  /** A PATCH body: any of name, nodeId, type, activation (replaced whole). */
  static DeviceChange change(JsonObject body) {
    for (var field : body.fieldNames()) {
      if (!PATCHABLE.contains(field)) throw ApiException.badRequest("a device's " + field + " cannot be changed");
    }
    var nodeId = body.getValue("nodeId") == null ? null : Requests.requiredId(body, "nodeId");
    var type = body.getValue("type") == null ? null : Requests.requiredId(body, "type");
    var activation = body.getValue("activation") == null ? null
        : Activation.parse(Requests.optionalObject(body, "activation"));
    var change = new DeviceChange(Requests.optionalString(body, "name", Requests.NAME_MAX), nodeId, type, activation);
    if (change.isEmpty()) throw ApiException.badRequest("nothing to change: give name, nodeId, type or activation");
    return change;
  }
}
