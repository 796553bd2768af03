package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code measurement.stored} and {@code measurement.published}: stored documents (the canonical
 * measurement plus the enrichment's derived fields) with the {@link Measurement} each was built from. JSON form
 * {@code {"measurements":[document…]}} (the measurements are read back from the documents); on the local bus the
 * record itself. Receivers never change the documents.
 */
public record StoredBatch(List<JsonObject> documents, List<Measurement> measurements) {
  public StoredBatch {
    documents = List.copyOf(documents);
    measurements = List.copyOf(measurements);
    if (documents.size() != measurements.size()) {
      throw new IllegalArgumentException(documents.size() + " documents for " + measurements.size() + " measurements");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put(Batch.MEASUREMENTS, new JsonArray(new ArrayList<Object>(documents)));
  }

  /** @throws IllegalArgumentException when it is not a batch of stored documents */
  public static StoredBatch fromJson(JsonObject json) {
    var documents = Batch.fromJson(json, Batch.MEASUREMENTS, document -> document);
    return new StoredBatch(documents, documents.stream().map(Measurement::fromJson).toList());
  }

  /** The batch a message carries: the record itself (same JVM) or its JSON form. */
  public static StoredBatch of(Object body) {
    return Batch.of(body, StoredBatch.class, StoredBatch::fromJson);
  }
}
