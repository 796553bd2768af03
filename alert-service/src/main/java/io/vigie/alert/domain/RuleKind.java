package io.vigie.alert.domain;

import java.util.Arrays;
import java.util.Locale;

/** What a rule watches. {@code SECURITY} is not a rule one writes: it is the kind of alerts raised by security events. */
public enum RuleKind {
  ABOVE, BELOW, OUTSIDE, RATE, BATTERY_LOW, NO_DATA, SECURITY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A kind a rule may have (not {@code security}). */
  public static RuleKind fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k != SECURITY && k.wire().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "kind must be above, below, outside, rate, battery-low or no-data, got '" + value + "'"));
  }
}
