package io.vigie.common.message;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@code uplink.received}: uplinks of one ingest-log partition, in log order. JSON form
 * {@code {"uplinks":[Uplink…]}}; on the local bus the record itself (see {@link io.vigie.common.bus.BusCodecs}).
 */
public record UplinkBatch(List<Uplink> uplinks) {
  public UplinkBatch {
    uplinks = List.copyOf(uplinks);
  }

  public JsonObject toJson() {
    return Batch.toJson(Batch.UPLINKS, uplinks, Uplink::toJson);
  }

  /** @throws IllegalArgumentException when it is not a batch of uplinks */
  public static UplinkBatch fromJson(JsonObject json) {
    return new UplinkBatch(Batch.fromJson(json, Batch.UPLINKS, Uplink::fromJson));
  }
}
