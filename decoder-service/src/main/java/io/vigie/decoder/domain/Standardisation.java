package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import io.vigie.decoder.codec.VendorFields;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a codec's fields into canonical measurements (SenML names, UCUM units).
 *
 * <ol>
 *   <li>The device type's {@code measurements} mapping comes first, applied by {@link VendorFields#mapped}:
 *       {@code {"analog_in_3": {"name": "battery", "unit": "V", "from"?: "mV"}}} makes a measurement of that
 *       field's value, converted when {@code from} names another unit.</li>
 *   <li>Then the codec's own proposals ({@link Candidate}s, e.g. every LPP temperature) for the
 *       fields the mapping did not claim, each with its channel: two LPP temperatures are two
 *       {@code temperature} measurements, on channels 1 and 2 (API.md), never {@code temperature_2}.
 *       They are listed by channel, lowest first, so the first {@code temperature} is the same sensor
 *       whatever order a device lists its channels in.</li>
 * </ol>
 * A name is unique in the result per channel; a second field onto an already used name (and channel)
 * is left out (and, for the mapping, reported).
 */
public final class Standardisation {
  private Standardisation() {}

  /** A canonical measurement a codec proposes for one of its decoded fields. */
  public record Candidate(String field, String name, String unit, double value, int channel) {}

  public record Result(List<MeasurementValue> measurements, List<String> errors) {}

  public static Result apply(JsonObject decoded, List<Candidate> candidates, JsonObject mapping) {
    var acc = VendorFields.mapped(decoded, mapping);
    candidates.stream().filter(candidate -> !acc.claimed(candidate.field()))
        .sorted(Comparator.comparingInt(Candidate::channel))
        .forEach(candidate -> acc.add(new MeasurementValue(candidate.name(), candidate.unit(), candidate.value(),
            candidate.channel())));
    var result = acc.result();
    return new Result(result.measurements(), result.errors());
  }
}
