package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON form of a batch on the bus: {@code {"<field>":[item…]}}. Requests on {@code uplink.received}
 * ({@value #UPLINKS}: {@link Uplink}), {@code uplink.decoded} ({@value #UPLINKS}: {@link DecodedUplink}) and
 * {@code measurement.stored} ({@value #MEASUREMENTS}: stored documents) are batches; the replies of the first two are
 * batches of {@link UplinkFate} under {@value #RESULTS}, one per item, in the order of the request.
 */
public final class Batch {
  public static final String UPLINKS = "uplinks";
  public static final String MEASUREMENTS = "measurements";
  public static final String RESULTS = "results";

  private Batch() {}

  public static <T> JsonObject toJson(String field, List<T> items, Function<T, JsonObject> toJson) {
    var array = new JsonArray();
    for (var item : items) array.add(toJson.apply(item));
    return new JsonObject().put(field, array);
  }

  /**
   * The batch record a message carries: the record itself (sent from the same JVM) or its JSON form.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static <T> T of(Object body, Class<T> type, Function<JsonObject, T> fromJson) {
    if (type.isInstance(body)) return type.cast(body);
    if (body instanceof JsonObject json) return fromJson.apply(json);
    throw new IllegalArgumentException("not a " + type.getSimpleName());
  }

  /** @throws IllegalArgumentException when the field is missing or holds something else than objects */
  public static <T> List<T> fromJson(JsonObject json, String field, Function<JsonObject, T> fromJson) {
    var array = json == null ? null : json.getJsonArray(field);
    if (array == null) throw new IllegalArgumentException("a batch needs an array \"" + field + "\"");
    return array.stream().map(item -> {
      if (!(item instanceof JsonObject object)) {
        throw new IllegalArgumentException("every item of \"" + field + "\" must be an object");
      }
      return fromJson.apply(object);
    }).toList();
  }
}
