package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;

/**
 * A device type of a tenant: how to decode its payloads.
 *
 * @param codec        {@code {"kind":"cayenne-lpp"|"javascript"|"none","script"?}}
 * @param measurements {@code {"<codec field>":{"name","unit"?}}} or null
 */
public record DeviceType(String id, String tenant, String name, JsonObject codec, JsonObject measurements) {

  /** The stored and answered form, also {@link io.vigie.common.message.DeviceContext#deviceType()}. */
  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("name", name).put("codec", codec.copy());
    if (measurements != null) json.put("measurements", measurements.copy());
    return json;
  }
}
