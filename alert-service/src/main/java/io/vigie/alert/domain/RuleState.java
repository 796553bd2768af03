package io.vigie.alert.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a rule remembers of a device between measurements (saved in Redis with the device's counter).
 *
 * @param since when the condition began (measurement time), null when it does not hold
 * @param previous the previous value and its time, for a rate; null otherwise
 */
public record RuleState(Instant since, Double previous, Instant previousAt) {
  public static final RuleState NONE = new RuleState(null, null, null);

  public RuleState withSince(Instant since) {
    return new RuleState(since, previous, previousAt);
  }

  public RuleState withPrevious(double value, Instant at) {
    return new RuleState(since, value, at);
  }

  public boolean isEmpty() {
    return since == null && previousAt == null;
  }

  public JsonObject toJson() {
    var json = new JsonObject();
    if (since != null) json.put("since", since.toString());
    if (previousAt != null) json.put("previous", previous).put("previousAt", previousAt.toString());
    return json;
  }

  public static RuleState fromJson(JsonObject json) {
    if (json == null) return NONE;
    var since = json.getString("since");
    var at = json.getString("previousAt");
    return new RuleState(since == null ? null : Instant.parse(since), json.getDouble("previous"),
        at == null ? null : Instant.parse(at));
  }
}
