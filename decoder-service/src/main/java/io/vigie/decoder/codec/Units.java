package io.vigie.decoder.codec;

import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * Conversions of the units vendors use into the canonical UCUM units: {@code [degF]} and {@code K} to {@code Cel},
 * {@code mV} to {@code V}, {@code hPa}, {@code kPa}, {@code mbar} and {@code bar} to {@code Pa}, {@code %x10}
 * (tenths of a percent, as many sensors send humidity) to {@code %RH}, {@code klx} to {@code lx}.
 */
public final class Units {
  private static final Map<String, DoubleUnaryOperator> TO_CANONICAL = Map.ofEntries(
      Map.entry("[degF]>Cel", f -> (f - 32) * 5 / 9),
      Map.entry("K>Cel", k -> k - 273.15),
      Map.entry("mV>V", mv -> mv / 1000),
      Map.entry("hPa>Pa", hpa -> hpa * 100),
      Map.entry("mbar>Pa", mbar -> mbar * 100),
      Map.entry("kPa>Pa", kpa -> kpa * 1000),
      Map.entry("bar>Pa", bar -> bar * 100_000),
      Map.entry("%x10>%RH", tenths -> tenths / 10),
      Map.entry("%>%RH", percent -> percent),
      Map.entry("%RH>%", percent -> percent),
      Map.entry("klx>lx", klx -> klx * 1000));

  private Units() {}

  /** The value in {@code to}, or empty when Vigie knows no conversion. Same unit (or none given) → unchanged. */
  public static Optional<Double> convert(double value, String from, String to) {
    if (from == null || to == null || from.equals(to)) return Optional.of(value);
    var conversion = TO_CANONICAL.get(from + ">" + to);
    return conversion == null ? Optional.empty() : Optional.of(conversion.applyAsDouble(value));
  }
}
