package io.vigie.common.auth;

import java.util.Arrays;
import java.util.Locale;

/** The roles of the blueprint, from most to least powerful. */
public enum Role {
  /** Everything in the tenant (within the scopes). */
  ADMIN,
  /** Read, acknowledge alerts, manage devices. */
  OPERATOR,
  /** Read. */
  VIEWER,
  /** API read and live subscriptions. */
  PARTNER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String value) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role '" + value + "'"));
  }
}
