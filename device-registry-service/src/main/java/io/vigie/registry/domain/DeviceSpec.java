package io.vigie.registry.domain;

import io.vigie.lorawan.SessionKeys;

/** A device as a client describes it (create or import row): everything but its tenant, which its node gives. */
public record DeviceSpec(String devEui, String name, String nodeId, String type, Activation activation) {

  public Device device(String tenant) {
    return new Device(devEui, tenant, name, nodeId, type, activation.mode(), activation.devAddr());
  }

  /** Everything a device holds, as a change replacing all of it. */
  public DeviceChange asChange() {
    return new DeviceChange(name, nodeId, type, activation);
  }

  /** True when {@code device} (with {@code keys}) already is exactly this. */
  public boolean sameAs(Device device, SessionKeys keys) {
    return device.name().equals(name) && device.nodeId().equals(nodeId) && device.type().equals(type)
        && device.activationMode().equals(activation.mode())
        && java.util.Objects.equals(device.devAddr(), activation.devAddr())
        && java.util.Objects.equals(keys, activation.keys());
  }

  @Override
  public String toString() {
    return "DeviceSpec[" + devEui + ", node=" + nodeId + ", type=" + type + ", " + activation + "]";
  }
}
