package io.vigie.registry.api;

import io.vertx.core.json.JsonObject;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.auth.VigiePrincipal;
import io.vertx.core.Future;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.DeviceType;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.domain.Node;
import java.util.List;

/** The audit events of the registry's objects: what of each is compared before and after. */
final class Audits {
  private Audits() {}

  /** A node created (before null), changed, or deleted (after null); {@code pathIds} from the root to the node. */
  static AuditEvent node(VigiePrincipal principal, String action, List<String> pathIds, Node before, Node after) {
    var node = after != null ? after : before;
    return AuditEvent.by(principal, action, "node", node.id()).name(node.name()).place(node.tenant(), pathIds)
        .changes(nodeFields(before), nodeFields(after));
  }

  /**
   * A device created (before null), changed, moved or deleted (after null), at the node path {@code pathIds}; session
   * keys are never read here: {@code keysChanged} records that new ones were given.
   */
  static AuditEvent device(VigiePrincipal principal, String action, List<String> pathIds, Device before, Device after,
                           boolean keysChanged) {
    var device = after != null ? after : before;
    var event = AuditEvent.by(principal, action, "device", device.devEui()).name(device.name())
        .place(device.tenant(), pathIds);
    var from = before == null ? null : before.toJson();
    var to = after == null ? null : after.toJson();
    if (keysChanged && to != null) {
      // only the fact that keys were set: Redaction writes {"changed":true} for them
      to.getJsonObject("activation").put("appSKey", "new").put("nwkSKey", "new");
    }
    return event.changes(from, to);
  }

  /**
   * A user or partner client created, changed or deleted, placed where its scopes are: at the path of its one scope, or
   * at the tenant's root when it has several or none (so only who covers all of them sees the entry).
   */
  static Future<AuditEvent> account(NodeStore nodes, VigiePrincipal principal, String action, String kind, String id,
                                    String name, String tenant, List<String> scopes, JsonObject before, JsonObject after) {
    Future<List<String>> path = scopes.size() != 1 ? Future.succeededFuture(List.of(tenant))
        : nodes.path(scopes.get(0)).map(p -> p == null ? List.of(tenant) : p.ids());
    return path.map(ids -> AuditEvent.by(principal, action, kind, id).name(name).place(tenant, ids).changes(before, after));
  }

  /** A device type (tenant-wide: placed at the tenant's root), its codec included. */
  static AuditEvent deviceType(VigiePrincipal principal, String tenant, DeviceType before, DeviceType after) {
    var type = after != null ? after : before;
    return AuditEvent.by(principal, before == null ? "create" : after == null ? "delete" : "update", "deviceType", type.id())
        .name(type.name()).place(tenant, List.of(tenant))
        .changes(before == null ? null : before.toJson(), after == null ? null : after.toJson());
  }

  private static JsonObject nodeFields(Node node) {
    return node == null ? null : new JsonObject().put("name", node.name()).put("kind", node.kind())
        .put("parentId", node.parentId()).put("attributes", node.attributes());
  }
}
