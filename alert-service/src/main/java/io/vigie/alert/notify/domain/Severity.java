package io.vigie.alert.notify.domain;

import java.util.Arrays;
import java.util.Locale;

/** Alert severities, most severe first; a channel's {@code minSeverity} lets through that one and the more severe. */
public enum Severity {
  CRITICAL, MAJOR, MINOR, WARNING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this is {@code min} or more severe. */
  public boolean atLeast(Severity min) {
    return compareTo(min) <= 0;
  }

  public static Severity fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("severity must be critical, major, minor or warning, got '" + value + "'"));
  }
}
