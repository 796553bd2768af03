package io.vigie.realtime.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import java.util.ArrayList;
import java.util.List;

/** Where a bus event goes on the client-facing addresses of the bridge. */
public final class Fanout {
  private Fanout() {}

  /** A stored measurement: its device, and every node of its path (a subtree subscription sees it). */
  public static List<String> measurementAddresses(JsonObject measurement) {
    var addresses = new ArrayList<String>();
    var devEui = measurement.getString("devEui");
    if (devEui != null) addresses.add(Addresses.TELEMETRY_DEVICE_PREFIX + devEui);
    pathIds(measurement.getJsonArray("path")).forEach(id -> addresses.add(Addresses.TELEMETRY_NODE_PREFIX + id));
    return addresses;
  }

  /** An alert: every node of its device's path. */
  public static List<String> alertAddresses(JsonObject alert) {
    return pathIds(alert.getJsonArray("path")).stream().map(id -> Addresses.ALERTS_NODE_PREFIX + id).toList();
  }

  /** The ids of a path given as PathElement objects (or bare ids). */
  public static List<String> pathIds(JsonArray path) {
    if (path == null) return List.of();
    var ids = new ArrayList<String>();
    for (var element : path) {
      var id = element instanceof JsonObject object ? object.getString("id") : element == null ? null : element.toString();
      if (id != null && !id.isBlank() && !ids.contains(id)) ids.add(id);
    }
    return ids;
  }
}
