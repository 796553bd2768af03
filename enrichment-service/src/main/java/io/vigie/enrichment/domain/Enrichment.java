package io.vigie.enrichment.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Adds what the registry knows of a device, and what Vigie derives, to a decoded measurement. */
public final class Enrichment {
  private static final Pattern NOT_A_FIELD = Pattern.compile("[^A-Za-z0-9_-]");
  /** Best first: highest RSSI, then highest SNR; a gateway that gave neither comes last. */
  static final Comparator<RxInfo> BEST_FIRST = Comparator
      .comparing(RxInfo::rssi, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(RxInfo::snr, Comparator.nullsLast(Comparator.reverseOrder()));

  private Enrichment() {}

  /**
   * The canonical measurement as stored and published: the device's tenant, {@code device}
   * ({@code {"name","type","nodeId"}}, absent values left out) and its path from the tenant root. A value
   * that JSON cannot carry (NaN, infinite) is left out of {@code measurements} and named in {@code errors}.
   */
  public static Measurement enrich(Measurement decoded, DeviceContext context) {
    var device = new JsonObject();
    if (context.name() != null) device.put("name", context.name());
    if (context.type() != null) device.put("type", context.type());
    if (context.nodeId() != null) device.put("nodeId", context.nodeId());
    var values = decoded.measurements().stream().filter(v -> Double.isFinite(v.value())).toList();
    var errors = new ArrayList<>(decoded.errors());
    decoded.measurements().stream().filter(v -> !Double.isFinite(v.value()))
        .forEach(v -> errors.add("measurement " + v.name() + " is not a finite number (" + v.value() + "): not stored"));
    return decoded.enriched(context.tenant(), device, context.path()).withValues(values, errors);
  }

  /**
   * The Elasticsearch document (also what the alert service and live views receive): the canonical
   * measurement plus
   * <ul>
   *   <li>{@code device.typeName}: the device type's name;</li>
   *   <li>{@code asset} {@code {"id","name"}}: the nearest node of kind {@code asset} on the path;</li>
   *   <li>{@code attributes}: the attributes of the device's node (registry);</li>
   *   <li>{@code bestRx}: the gateway that heard it best (highest RSSI, then SNR), {@code gatewayCount};</li>
   *   <li>{@code values} {@code {"<name>": value}}: each measurement's first value under its name (characters
   *       other than letters, digits, {@code _} and {@code -} become {@code _}), and a value with a channel also
   *       under {@code <name>_<channel>} ({@code temperature_2}), for tools that cannot query the nested
   *       {@code measurements} (Grafana, Kibana Lens);</li>
   *   <li>{@code sincePreviousMs}, {@code fCntGap}: see {@link DerivedFields}.</li>
   * </ul>
   */
  public static JsonObject document(Measurement enriched, DeviceContext context, JsonObject nodeAttributes,
                                    JsonObject derived) {
    var json = enriched.toJson();
    var typeName = context.deviceType() == null ? null : context.deviceType().getString("name");
    if (typeName != null) json.getJsonObject("device", new JsonObject()).put("typeName", typeName);
    asset(enriched.path()).ifPresent(asset -> json.put("asset", new JsonObject().put("id", asset.id()).put("name", asset.name())));
    if (nodeAttributes != null && !nodeAttributes.isEmpty()) json.put("attributes", nodeAttributes.copy());
    enriched.rx().stream().min(BEST_FIRST).ifPresent(best -> json.put("bestRx", best.toJson()));
    json.put("gatewayCount", enriched.rx().size());
    var values = new JsonObject();
    for (MeasurementValue value : enriched.measurements()) {
      var field = fieldName(value.name());
      if (field.isEmpty()) continue;
      if (!values.containsKey(field)) values.put(field, value.value());
      var perChannel = value.channel() == null ? null : field + "_" + value.channel();
      if (perChannel != null && !values.containsKey(perChannel)) values.put(perChannel, value.value());
    }
    json.put("values", values);
    if (derived != null) json.mergeIn(derived);
    return json;
  }

  /** The name of a measurement as a field of {@code values}. */
  public static String fieldName(String measurement) {
    return measurement == null ? "" : NOT_A_FIELD.matcher(measurement).replaceAll("_");
  }

  /** The names a device type declares for its codec's fields ({@code measurements} of the type). */
  public static List<String> declaredNames(DeviceContext context) {
    var type = context.deviceType();
    var mapping = type == null ? null : type.getValue("measurements");
    if (!(mapping instanceof JsonObject fields)) return List.of();
    var names = new ArrayList<String>();
    fields.forEach(entry -> {
      if (entry.getValue() instanceof JsonObject target && target.getString("name") != null) names.add(target.getString("name"));
    });
    return names;
  }

  private static Optional<PathElement> asset(List<PathElement> path) {
    for (int i = path.size() - 1; i >= 0; i--) {
      if ("asset".equals(path.get(i).kind())) return Optional.of(path.get(i));
    }
    return Optional.empty();
  }
}
