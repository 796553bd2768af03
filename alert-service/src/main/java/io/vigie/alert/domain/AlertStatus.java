package io.vigie.alert.domain;

import java.util.Arrays;
import java.util.Locale;

/** Where an alert is in its life: active → acknowledged (by a person) → cleared (by the condition or a person). */
public enum AlertStatus {
  ACTIVE, ACKNOWLEDGED, CLEARED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AlertStatus fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("status must be active, acknowledged or cleared, got '" + value + "'"));
  }
}
