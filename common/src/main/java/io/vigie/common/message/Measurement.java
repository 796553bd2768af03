package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.json.Rfc3339;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The canonical measurement of {@code ARCHITECTURE.md}: what the decoder produces (without
 * {@code tenant}, {@code device} and {@code path}) and what the enrichment stores and publishes
 * (with them).
 */
public record Measurement(String devEui, long fCnt, Integer fPort, Instant receivedAt, String source,
                          List<RxInfo> rx, JsonObject decoded, List<MeasurementValue> measurements,
                          List<String> errors, List<String> warnings, String tenant, JsonObject device,
                          List<PathElement> path, TxInfo tx) {

  public Measurement {
    Objects.requireNonNull(devEui, "devEui");
    Objects.requireNonNull(receivedAt, "receivedAt");
    rx = rx == null ? List.of() : List.copyOf(rx);
    decoded = decoded == null ? new JsonObject() : decoded;
    measurements = measurements == null ? List.of() : List.copyOf(measurements);
    errors = errors == null ? List.of() : List.copyOf(errors);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    path = path == null ? List.of() : List.copyOf(path);
    tx = tx == null || tx.isEmpty() ? null : tx;
  }

  /** A measurement without radio settings. */
  public Measurement(String devEui, long fCnt, Integer fPort, Instant receivedAt, String source, List<RxInfo> rx,
                     JsonObject decoded, List<MeasurementValue> measurements, List<String> errors,
                     List<String> warnings, String tenant, JsonObject device, List<PathElement> path) {
    this(devEui, fCnt, fPort, receivedAt, source, rx, decoded, measurements, errors, warnings, tenant, device, path, null);
  }

  /** A measurement without warnings (the shape before codecs could warn). */
  public Measurement(String devEui, long fCnt, Integer fPort, Instant receivedAt, String source, List<RxInfo> rx,
                     JsonObject decoded, List<MeasurementValue> measurements, List<String> errors, String tenant,
                     JsonObject device, List<PathElement> path) {
    this(devEui, fCnt, fPort, receivedAt, source, rx, decoded, measurements, errors, List.of(), tenant, device, path, null);
  }

  /**
   * What the decoder knows of an uplink: no registry context yet.
   *
   * @param errors decode errors recorded on this uplink (it is stored anyway, never lost)
   */
  public static Measurement decoded(Uplink uplink, JsonObject decoded, List<MeasurementValue> values, List<String> errors) {
    return new Measurement(uplink.devEui(), uplink.fCnt(), uplink.fPort(), uplink.receivedAt(), uplink.source(),
        uplink.rx(), decoded, values, errors, List.of(), null, null, null, uplink.tx());
  }

  /** The same measurement with the codec's warnings (values left out, dubious fields). */
  public Measurement withWarnings(List<String> warnings) {
    return new Measurement(devEui, fCnt, fPort, receivedAt, source, rx, decoded, measurements, errors, warnings, tenant,
        device, path, tx);
  }

  /** The same measurement with {@code more} warnings after its own. */
  public Measurement warned(List<String> more) {
    if (more.isEmpty()) return this;
    var all = new ArrayList<>(warnings);
    all.addAll(more);
    return withWarnings(all);
  }

  public Measurement enriched(String tenant, JsonObject device, List<PathElement> path) {
    return new Measurement(devEui, fCnt, fPort, receivedAt, source, rx, decoded, measurements, errors, warnings, tenant,
        device, path, tx);
  }

  /** The same measurement with other values and errors (values JSON cannot carry moved to errors). */
  public Measurement withValues(List<MeasurementValue> values, List<String> otherErrors) {
    return new Measurement(devEui, fCnt, fPort, receivedAt, source, rx, decoded, values, otherErrors, warnings, tenant,
        device, path, tx);
  }

  public String id() {
    return MessageIds.uplinkId(devEui, fCnt);
  }

  public Optional<MeasurementValue> value(String name) {
    return measurements.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public JsonObject toJson() {
    var json = new JsonObject()
        .put("id", id())
        .put("devEui", devEui)
        .put("fCnt", fCnt)
        .put("receivedAt", receivedAt.toString())
        .put("source", source)
        .put("rx", new JsonArray(rx.stream().map(RxInfo::toJson).toList()))
        .put("decoded", decoded)
        .put("measurements", new JsonArray(measurements.stream().map(MeasurementValue::toJson).toList()))
        .put("path", new JsonArray(path.stream().map(PathElement::toJson).toList()));
    if (!errors.isEmpty()) json.put("errors", new JsonArray(errors));
    if (!warnings.isEmpty()) json.put("warnings", new JsonArray(warnings));
    if (fPort != null) json.put("fPort", fPort);
    if (tenant != null) json.put("tenant", tenant);
    if (device != null) json.put("device", device);
    if (tx != null) json.put("tx", tx.toJson());
    return json;
  }

  public static Measurement fromJson(JsonObject json) {
    return new Measurement(json.getString("devEui"), json.getLong("fCnt"), json.getInteger("fPort"),
        Rfc3339.parse(json.getString("receivedAt")), json.getString("source"),
        objects(json.getJsonArray("rx")).stream().map(RxInfo::fromJson).toList(),
        json.getJsonObject("decoded"),
        objects(json.getJsonArray("measurements")).stream().map(MeasurementValue::fromJson).toList(),
        json.getJsonArray("errors", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getJsonArray("warnings", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getString("tenant"), json.getJsonObject("device"),
        objects(json.getJsonArray("path")).stream().map(PathElement::fromJson).toList(),
        TxInfo.fromJson(json.getJsonObject("tx")));
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().map(JsonObject.class::cast).toList();
  }
}
