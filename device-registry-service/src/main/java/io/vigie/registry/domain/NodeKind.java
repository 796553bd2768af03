package io.vigie.registry.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The levels of a tenant's tree. {@link #TENANT} is the root only; the others are what clients create. */
public enum NodeKind {
  TENANT, SITE, BUILDING, FLOOR, ROOM, ASSET;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A kind a client may create (anything but {@code tenant}). */
  public static Optional<NodeKind> creatable(String wire) {
    return Arrays.stream(values()).filter(k -> k != TENANT && k.wire().equals(wire)).findFirst();
  }
}
