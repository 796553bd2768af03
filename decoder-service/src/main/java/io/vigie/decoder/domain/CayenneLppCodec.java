package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.decoder.domain.Standardisation.Candidate;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The {@code cayenne-lpp} codec: {@code decoded} uses TTN's naming ({@code temperature_1},
 * {@code relative_humidity_2}, {@code digital_in_3}, {@code accelerometer_8 {x,y,z}},
 * {@code gps_10 {latitude,longitude,altitude}}…); temperature, humidity, barometric pressure and
 * luminosity also become canonical measurements ({@code temperature} Cel, {@code humidity} %RH,
 * {@code pressure} Pa, {@code illuminance} lx). When a frame repeats a channel with the same type,
 * the first item wins.
 */
public final class CayenneLppCodec {
  public static final String KIND = "cayenne-lpp";

  private CayenneLppCodec() {}

  /**
   * @param mapping the device type's {@code measurements} mapping, or null
   * @throws CodecException when the frame is truncated or holds an unknown type
   */
  public static Decoding decode(byte[] payload, JsonObject mapping) {
    var decoded = new JsonObject();
    var candidates = new ArrayList<Candidate>();
    for (var item : CayenneLpp.decode(payload)) {
      if (decoded.containsKey(item.field())) continue;
      decoded.put(item.field(), item.json());
      canonical(item).ifPresent(candidates::add);
    }
    var standard = Standardisation.apply(decoded, candidates, mapping);
    return new Decoding(decoded, standard.measurements(), standard.errors());
  }

  static Optional<Candidate> canonical(LppItem item) {
    return switch (item.type()) {
      case TEMPERATURE -> Optional.of(candidate(item, "temperature", "Cel", item.value()));
      case RELATIVE_HUMIDITY -> Optional.of(candidate(item, "humidity", "%RH", item.value()));
      // 0.1 hPa on the wire = 10 Pa: computed from the raw integer, exact.
      case BAROMETRIC_PRESSURE -> Optional.of(candidate(item, "pressure", "Pa", item.raw().get(0) * 10.0));
      case ILLUMINANCE -> Optional.of(candidate(item, "illuminance", "lx", item.value()));
      default -> Optional.empty();
    };
  }

  private static Candidate candidate(LppItem item, String name, String unit, double value) {
    return new Candidate(item.field(), name, unit, value, item.channel());
  }
}
