package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.DeviceType;
import io.vigie.registry.domain.SessionKeys;
import java.util.List;

/** Devices (with their session keys sealed at rest) and device types. */
public interface DeviceStore {

  /** Creates a device on an existing node and type of its tenant: OK, DUPLICATE, NO_NODE or NO_TYPE. */
  Future<Outcome> create(Device device, SessionKeys keys);

  /** The device, or null. */
  Future<Device> get(String devEui);

  /** The ABP session keys in clear (for the decoder, over the bus only), or null when none. */
  Future<SessionKeys> sessionKeys(String devEui);

  /** The devices attached to the node (and to all its descendants when {@code recursive}), sorted by DevEUI. */
  Future<List<Device>> devicesOf(String nodeId, boolean recursive);

  /** Creates or replaces a device type; true when it was created. */
  Future<Boolean> putType(DeviceType type);

  /** The tenant's device type, or null. */
  Future<DeviceType> type(String tenant, String id);

  /** The tenant's device types, sorted by id. */
  Future<List<DeviceType>> types(String tenant);
}
