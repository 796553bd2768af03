package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.json.Rfc3339;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What became of one uplink: one item of a batch reply on {@code uplink.received} and {@code uplink.decoded}, and
 * one row of {@code GET /api/v1/devices/{devEui}/uplinks}.
 *
 * @param id the uplink's identity once known ({@code <devEui>-<fCnt32 as 8 hex>}); a raw frame's id changes when
 *     the decoder reconstructs its 32-bit counter
 * @param fCnt the 32-bit counter when known (the wire value for a raw frame that could not be read)
 * @param reason a human-readable reason for every status but {@code stored} and {@code pending} (the codec's
 *     message for {@code codec-error}); never a key
 * @param measurements the canonical measurements stored, when stored
 */
public record UplinkFate(String id, String devEui, long fCnt, Instant receivedAt, String source, UplinkStatus status,
                         String reason, List<MeasurementValue> measurements) {

  public UplinkFate {
    Objects.requireNonNull(status, "status");
    measurements = measurements == null ? List.of() : List.copyOf(measurements);
  }

  /** The fate of {@code uplink}, without measurements. */
  public static UplinkFate of(Uplink uplink, UplinkStatus status, String reason) {
    return new UplinkFate(uplink.id(), uplink.devEui(), uplink.fCnt(), uplink.receivedAt(), uplink.source(), status,
        reason, List.of());
  }

  public UplinkFate withStatus(UplinkStatus newStatus, String newReason) {
    return new UplinkFate(id, devEui, fCnt, receivedAt, source, newStatus, newReason, measurements);
  }

  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("devEui", devEui).put("fCnt", fCnt).put("status", status.json());
    if (receivedAt != null) json.put("receivedAt", receivedAt.toString());
    if (source != null) json.put("source", source);
    if (reason != null) json.put("reason", reason);
    if (!measurements.isEmpty()) {
      json.put("measurements", new JsonArray(measurements.stream().map(MeasurementValue::toJson).toList()));
    }
    return json;
  }

  public static UplinkFate fromJson(JsonObject json) {
    var received = json.getString("receivedAt");
    var values = json.getJsonArray("measurements", new JsonArray()).stream()
        .map(o -> MeasurementValue.fromJson((JsonObject) o)).toList();
    return new UplinkFate(json.getString("id"), json.getString("devEui"), json.getLong("fCnt", 0L),
        received == null ? null : Rfc3339.parse(received), json.getString("source"),
        UplinkStatus.fromJson(json.getString("status")), json.getString("reason"), values);
  }
}
