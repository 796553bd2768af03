package io.vigie.common.message;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What the registry publishes on {@link io.vigie.common.Addresses#REGISTRY_CHANGED} after every write, so that caches
 * elsewhere drop what it may have changed: {@code {"kind":"node|device|device-type|user|client|tenant","id","tenant"}}.
 *
 * @param id the node id, DevEUI, device-type id, username, client id or tenant id
 * @param tenant the tenant of the changed object, or null when the publisher did not say
 */
public record RegistryChange(Kind kind, String id, String tenant) {

  public enum Kind {
    NODE("node"), DEVICE("device"), DEVICE_TYPE("device-type"), USER("user"), CLIENT("client"), TENANT("tenant");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Kind fromWire(String wire) {
      for (var kind : values()) {
        if (kind.wire.equals(wire)) return kind;
      }
      throw new IllegalArgumentException("registry.changed kind must be node, device, device-type, user, client or tenant, got '"
          + wire + "'");
    }
  }

  public RegistryChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.wire()).put("id", id).put("tenant", tenant);
  }

  /** @throws IllegalArgumentException when the body is not a registry change */
  public static RegistryChange fromJson(JsonObject json) {
    if (json == null || !(json.getValue("id") instanceof String id)) {
      throw new IllegalArgumentException("registry.changed needs {\"kind\",\"id\",\"tenant\"}");
    }
    var tenant = json.getValue("tenant") instanceof String t ? t : null;
    return new RegistryChange(Kind.fromWire(json.getValue("kind") instanceof String k ? k : null), id, tenant);
  }
}
