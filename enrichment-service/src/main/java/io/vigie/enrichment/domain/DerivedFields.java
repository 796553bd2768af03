package io.vigie.enrichment.domain;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Fields computed from a device's previous uplink: {@code sincePreviousMs} (time since it) and {@code fCntGap}
 * (frames lost in between: {@code fCnt - previousFCnt - 1}, 0 when none was lost).
 *
 * <ul>
 *   <li>No previous uplink known: no derived field.</li>
 *   <li>A higher counter: both fields; this uplink becomes the previous one.</li>
 *   <li>The same counter (a re-delivery): the fields computed for it the first time.</li>
 *   <li>A lower counter received later (the device restarted its counter): {@code sincePreviousMs} only.</li>
 *   <li>A lower counter received earlier (a late, out-of-order frame): nothing, and the previous one stays.</li>
 * </ul>
 */
public final class DerivedFields {
  private DerivedFields() {}

  /** The last uplink seen of a device, and what was derived for it. */
  public record Last(long fCnt, Instant receivedAt, JsonObject derived) {
    public Last {
      derived = derived == null ? new JsonObject() : derived;
    }
  }

  /** The fields of this uplink, and the device's state after it. */
  public record Outcome(JsonObject derived, Last last) {}

  public static Outcome next(Last previous, long fCnt, Instant receivedAt) {
    if (previous == null) return new Outcome(new JsonObject(), new Last(fCnt, receivedAt, new JsonObject()));
    if (fCnt == previous.fCnt()) return new Outcome(previous.derived().copy(), previous);
    long since = Duration.between(previous.receivedAt(), receivedAt).toMillis();
    if (fCnt > previous.fCnt()) {
      var derived = new JsonObject().put("fCntGap", fCnt - previous.fCnt() - 1);
      if (since >= 0) derived.put("sincePreviousMs", since);
      return new Outcome(derived, new Last(fCnt, receivedAt, derived));
    }
    if (since > 0) {
      var derived = new JsonObject().put("sincePreviousMs", since);
      return new Outcome(derived, new Last(fCnt, receivedAt, derived));
    }
    return new Outcome(new JsonObject(), previous);
  }
}
