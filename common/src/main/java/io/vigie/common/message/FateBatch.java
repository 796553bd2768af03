package io.vigie.common.message;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply of {@code uplink.received} and {@code uplink.decoded}: one {@link UplinkFate} per uplink of the request,
 * in its order. JSON form {@code {"results":[UplinkFate…]}}; on the local bus the record itself.
 */
public record FateBatch(List<UplinkFate> results) {
  public FateBatch {
    results = List.copyOf(results);
  }

  public JsonObject toJson() {
    return Batch.toJson(Batch.RESULTS, results, UplinkFate::toJson);
  }

  /** @throws IllegalArgumentException when it is not a batch of fates */
  public static FateBatch fromJson(JsonObject json) {
    return new FateBatch(Batch.fromJson(json, Batch.RESULTS, UplinkFate::fromJson));
  }

  /** The fates a reply carries: the record itself (same JVM) or its JSON form. */
  public static FateBatch of(Object body) {
    return Batch.of(body, FateBatch.class, FateBatch::fromJson);
  }
}
