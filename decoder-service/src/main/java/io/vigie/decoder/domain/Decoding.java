package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.MeasurementValue;
import java.util.List;

/**
 * What a codec made of a payload.
 *
 * @param decoded the codec's own fields ({@code temperature_1: 23.5})
 * @param measurements the canonical measurements (SenML names, UCUM units)
 * @param errors what went wrong without losing the uplink (a bad mapping, an undecodable payload)
 */
public record Decoding(JsonObject decoded, List<MeasurementValue> measurements, List<String> errors) {
  public Decoding {
    measurements = List.copyOf(measurements);
    errors = List.copyOf(errors);
  }
}
