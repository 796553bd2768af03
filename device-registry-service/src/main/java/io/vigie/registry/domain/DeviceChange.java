package io.vigie.registry.domain;

/**
 * What a PATCH (or an import row) changes on a device; null fields stay as they are. An activation replaces
 * the previous one whole (mode, DevAddr and both keys).
 */
public record DeviceChange(String name, String nodeId, String type, Activation activation) {

  public boolean isEmpty() {
    return name == null && nodeId == null && type == null && activation == null;
  }
}
