package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.DeviceChange;
import io.vigie.registry.domain.DeviceType;
import io.vigie.lorawan.SessionKeys;
import java.util.List;

/**
 * Devices (with their session keys sealed at rest) and device types. Writes take the path of the device's
 * node on which the caller's access was decided, and answer {@link Outcome#CHANGED} when it moved meanwhile.
 */
public interface DeviceStore {

  /** Creates a device on an existing node and type of its tenant: OK, DUPLICATE, NO_NODE, NO_TYPE or CHANGED. */
  Future<Outcome> create(Device device, SessionKeys keys, List<String> expectedNodePath);

  /** The device, or null. */
  Future<Device> get(String devEui);

  /** The ABP session keys in clear (for the decoder, over the bus only), or null when none. */
  Future<SessionKeys> sessionKeys(String devEui);

  /** The ABP devices using a DevAddr, sorted by DevEUI. */
  Future<List<Device>> byDevAddr(String devAddr);

  /** The devices attached to the node (and to all its descendants when {@code recursive}), sorted by DevEUI. */
  Future<List<Device>> devicesOf(String nodeId, boolean recursive);

  /**
   * Changes a device: OK, NO_DEVICE, NO_NODE, NO_TYPE or CHANGED.
   *
   * @param expectedNewNodePath the path of {@code change.nodeId()} when the device moves, else null
   */
  Future<Outcome> update(String devEui, List<String> expectedNodePath, DeviceChange change, List<String> expectedNewNodePath);

  /** Deletes a device: OK, NO_DEVICE or CHANGED. */
  Future<Outcome> delete(String devEui, List<String> expectedNodePath);

  /** Creates or replaces a device type; true when it was created. */
  Future<Boolean> putType(DeviceType type);

  /** The tenant's device type, or null. */
  Future<DeviceType> type(String tenant, String id);

  /** The tenant's device types, sorted by id. */
  Future<List<DeviceType>> types(String tenant);
}
