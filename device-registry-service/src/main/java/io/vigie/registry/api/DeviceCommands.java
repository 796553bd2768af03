package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.DeviceChange;
import io.vigie.registry.domain.DeviceSpec;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.DeviceStore;
import io.vigie.registry.store.NodeStore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device writes with their access rule, shared by the device routes and the import: reading needs any role on
 * the device's node, writing needs device management (admin or operator) there, and on the new node of a move.
 */
final class DeviceCommands {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceCommands.class);
  /** What an import row did. */
  enum Result { CREATED, UPDATED, UNCHANGED }

  /** A device with the path of its node. */
  record Located(Device device, NodePath path) {}

  private final NodeStore nodes;
  private final DeviceStore devices;
  private final NodeAccess access;
  private final Changes changes;

  DeviceCommands(NodeStore nodes, DeviceStore devices, Changes changes) {
    this.nodes = nodes;
    this.devices = devices;
    this.access = new NodeAccess(nodes);
    this.changes = changes;
  }

  static ApiException notFound(String devEui) {
    return ApiException.notFound("device " + devEui + " not found");
  }

  static ApiException taken(String devEui) {
    return ApiException.conflict("device " + devEui + " already exists");
  }

  /** The device named by a route when the caller may read it; else 404. */
  Future<Located> visible(VigiePrincipal principal, String devEui) {
    return devices.get(devEui).compose(device -> device == null ? Future.failedFuture(notFound(devEui))
        : nodes.path(device.nodeId()).map(path -> {
          if (path == null || !Access.allows(principal, Access.Action.READ, path.tenant(), path.ids())) {
            throw notFound(devEui);
          }
          return new Located(device, path);
        }));
  }

  Future<Device> create(VigiePrincipal principal, DeviceSpec spec) {
    return Attempts.retrying(() -> createOnce(principal, spec))
        .onSuccess(device -> {
          changes.publish(Kind.DEVICE, device.devEui(), device.tenant());
          audited(principal, "create", null, device.devEui(), spec.activation().keys() != null);
        });
  }

  private Future<Device> createOnce(VigiePrincipal principal, DeviceSpec spec) {
    return access.referenced(principal, "nodeId", spec.nodeId(), Access.Action.MANAGE_DEVICES).compose(path -> {
      var device = spec.device(path.tenant());
      return devices.create(device, spec.activation().keys(), path.ids()).map(outcome -> switch (outcome) {
        case OK -> device;
        case DUPLICATE -> throw taken(spec.devEui());
        case NO_TYPE -> throw ApiException.badRequest("type '" + spec.type() + "' is not a device type of this tenant");
        case CHANGED -> throw new Attempts.Changed();
        default -> throw NodeAccess.notVisible("nodeId", spec.nodeId());
      });
    });
  }

  Future<Device> update(VigiePrincipal principal, String devEui, DeviceChange change) {
    var before = new AtomicReference<Device>();
    return Attempts.retrying(() -> visible(principal, devEui).compose(located -> {
          before.set(located.device());
          return updateOnce(principal, located, change);
        }))
        .compose(ignored -> devices.get(devEui))
        .map(device -> {
          if (device == null) throw notFound(devEui);
          changes.publish(Kind.DEVICE, devEui, device.tenant());
          var keys = change.activation() != null && change.activation().keys() != null;
          audited(principal, device.nodeId().equals(before.get().nodeId()) ? "update" : "move", before.get(), devEui, keys);
          return device;
        });
  }

  private Future<Void> updateOnce(VigiePrincipal principal, Located located, DeviceChange change) {
    var devEui = located.device().devEui();
    NodeAccess.require(principal, Access.Action.MANAGE_DEVICES, located.path().tenant(), located.path().ids(),
        notFound(devEui));
    var moving = change.nodeId() != null && !change.nodeId().equals(located.device().nodeId());
    Future<NodePath> target = moving
        ? access.referenced(principal, "nodeId", change.nodeId(), Access.Action.MANAGE_DEVICES)
        : Future.succeededFuture();
    return target.compose(to -> devices.update(devEui, located.path().ids(), change, to == null ? null : to.ids()))
        .map(outcome -> switch (outcome) {
          case OK -> null;
          case NO_TYPE -> throw ApiException.badRequest("type '" + change.type() + "' is not a device type of this tenant");
          case NO_NODE -> throw NodeAccess.notVisible("nodeId", change.nodeId());
          case CHANGED -> throw new Attempts.Changed();
          default -> throw notFound(devEui);
        });
  }

  Future<Void> delete(VigiePrincipal principal, String devEui) {
    return Attempts.retrying(() -> visible(principal, devEui).compose(located -> {
      NodeAccess.require(principal, Access.Action.MANAGE_DEVICES, located.path().tenant(), located.path().ids(),
          notFound(devEui));
      return devices.delete(devEui, located.path().ids()).map(outcome -> switch (outcome) {
        case OK -> {
          changes.audit(Audits.device(principal, "delete", located.path().ids(), located.device(), null, false));
          yield located.device().tenant();
        }
        case CHANGED -> throw new Attempts.Changed();
        default -> throw notFound(devEui);
      });
    })).map(tenant -> {
      changes.publish(Kind.DEVICE, devEui, tenant);
      return null;
    });
  }

  /**
   * An import row: creates the device, or replaces an existing one of the caller's scopes, or leaves it when it
   * already is exactly so. A DevEUI registered outside the caller's scopes answers like a POST would (409).
   */
  Future<Result> upsert(VigiePrincipal principal, DeviceSpec spec) {
    var before = new AtomicReference<Device>();
    return Attempts.retrying(() -> devices.get(spec.devEui()).compose(existing -> {
      before.set(existing);
      if (existing == null) {
        return createOnce(principal, spec).map(Result.CREATED).recover(e -> Future.failedFuture(
            // created by someone else meanwhile: decide again, as an update
            e instanceof ApiException api && api.status() == 409 ? new Attempts.Changed() : e));
      }
      return nodes.path(existing.nodeId()).compose(path -> {
        if (path == null || !Access.allows(principal, Access.Action.READ, path.tenant(), path.ids())) {
          throw taken(spec.devEui());
        }
        var located = new Located(existing, path);
        NodeAccess.require(principal, Access.Action.MANAGE_DEVICES, path.tenant(), path.ids(), taken(spec.devEui()));
        Future<Boolean> same = !sameFields(existing, spec) ? Future.succeededFuture(false)
            : devices.sessionKeys(spec.devEui()).map(keys -> spec.sameAs(existing, keys));
        return same.compose(unchanged -> unchanged ? Future.succeededFuture(Result.UNCHANGED)
            : updateOnce(principal, located, spec.asChange()).map(Result.UPDATED));
      });
    })).onSuccess(result -> {
      if (result == Result.UNCHANGED) return;
      changes.publish(Kind.DEVICE, spec.devEui(), principal.tenant());
      audited(principal, "import", result == Result.CREATED ? null : before.get(), spec.devEui(),
          spec.activation().keys() != null);
    });
  }

  /** Records a device's change once written, with the path of its node now. */
  private void audited(VigiePrincipal principal, String action, Device before, String devEui, boolean keysChanged) {
    devices.get(devEui).compose(after -> after == null ? Future.succeededFuture()
            : nodes.path(after.nodeId()).onSuccess(path -> {
              if (path != null) changes.audit(Audits.device(principal, action, path.ids(), before, after, keysChanged));
            }))
        .onFailure(e -> LOG.warn("audit of {} {} not recorded: {}", action, devEui, e.getMessage()));
  }

  private static boolean sameFields(Device device, DeviceSpec spec) {
    return spec.sameAs(device, spec.activation().keys());
  }
}
