package io.vigie.common.message;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@code uplink.decoded}: the decoded uplinks of a batch to store, in batch order, each with the device
 * context the decoder resolved. JSON form {@code {"uplinks":[DecodedUplink…]}}; on the local bus the record itself.
 */
public record DecodedBatch(List<DecodedUplink> uplinks) {
  public DecodedBatch {
    uplinks = List.copyOf(uplinks);
  }

  public JsonObject toJson() {
    return Batch.toJson(Batch.UPLINKS, uplinks, DecodedUplink::toJson);
  }

  /** @throws IllegalArgumentException when it is not a batch of decoded uplinks */
  public static DecodedBatch fromJson(JsonObject json) {
    return new DecodedBatch(Batch.fromJson(json, Batch.UPLINKS, DecodedUplink::fromJson));
  }

  /** The batch a message carries: the record itself (same JVM) or its JSON form. */
  public static DecodedBatch of(Object body) {
    return Batch.of(body, DecodedBatch.class, DecodedBatch::fromJson);
  }
}
