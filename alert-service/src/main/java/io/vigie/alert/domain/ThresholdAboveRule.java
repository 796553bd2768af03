package io.vigie.alert.domain;

import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import java.util.OptionalDouble;

/** In alarm while a named measurement is strictly above a threshold; clear at or below it. */
public record ThresholdAboveRule(String id, String measurement, double threshold, String severity) implements AlertRule {

  /** The walking-skeleton rule: a temperature above the configured threshold. */
  public static ThresholdAboveRule defaultTemperature(double threshold) {
    return new ThresholdAboveRule("default-temperature-above", "temperature", threshold, "major");
  }

  @Override
  public OptionalDouble observe(Measurement m) {
    return m.value(measurement).map(MeasurementValue::value)
        .filter(Double::isFinite)
        .map(OptionalDouble::of).orElse(OptionalDouble.empty());
  }

  @Override
  public boolean breached(double value) {
    return value > threshold;
  }
}
