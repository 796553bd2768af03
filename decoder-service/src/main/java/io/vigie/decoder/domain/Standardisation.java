package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import io.vigie.decoder.codec.VendorFields;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a codec's fields into canonical measurements (SenML names, UCUM units).
 *
 * <ol>
 *   <li>The device type's {@code measurements} mapping comes first, applied by {@link VendorFields#mapped}:
 *       {@code {"analog_in_3": {"name": "battery", "unit": "V", "from"?: "mV"}}} makes a measurement of that
 *       field's value, converted when {@code from} names another unit.</li>
 *   <li>Then the codec's own proposals ({@link Candidate}s, e.g. every LPP temperature) for the
 *       fields the mapping did not claim. When one name is proposed for several channels, the lowest
 *       channel gets the plain name ({@code temperature}) and the others get the channel appended
 *       ({@code temperature_2}): the same sensor keeps the same series even if a device lists its
 *       channels in another order.</li>
 * </ol>
 * Names are unique in the result; a second field onto an already used name is left out (and, for
 * the mapping, reported).
 */
public final class Standardisation {
  private Standardisation() {}

  /** A canonical measurement a codec proposes for one of its decoded fields. */
  public record Candidate(String field, String name, String unit, double value, int channel) {}

  public record Result(List<MeasurementValue> measurements, List<String> errors) {}

  public static Result apply(JsonObject decoded, List<Candidate> candidates, JsonObject mapping) {
    var acc = VendorFields.mapped(decoded, mapping);
    Map<String, Integer> lowestChannel = new HashMap<>();
    for (var candidate : candidates) {
      if (acc.claimed(candidate.field())) continue;
      lowestChannel.merge(candidate.name(), candidate.channel(), Math::min);
    }
    for (var candidate : candidates) {
      if (acc.claimed(candidate.field())) continue;
      var plain = candidate.channel() == lowestChannel.get(candidate.name()) && !acc.taken(candidate.name());
      var name = plain ? candidate.name() : candidate.name() + "_" + candidate.channel();
      acc.add(new MeasurementValue(name, candidate.unit(), candidate.value()));
    }
    var result = acc.result();
    return new Result(result.measurements(), result.errors());
  }
}
