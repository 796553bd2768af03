package io.vigie.enrichment.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;

/** Adds what the registry knows of a device to a decoded measurement. */
public final class Enrichment {
  private Enrichment() {}

  /**
   * The measurement as stored and published: the device's tenant, {@code device}
   * ({@code {"name","type","nodeId"}}, absent values left out) and its path from the tenant root.
   */
  public static Measurement enrich(Measurement decoded, DeviceContext context) {
    var device = new JsonObject();
    if (context.name() != null) device.put("name", context.name());
    if (context.type() != null) device.put("type", context.type());
    if (context.nodeId() != null) device.put("nodeId", context.nodeId());
    return decoded.enriched(context.tenant(), device, context.path());
  }
}
