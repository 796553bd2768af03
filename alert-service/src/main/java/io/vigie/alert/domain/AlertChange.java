package io.vigie.alert.domain;

/**
 * What one evaluation did to one device+rule's alert.
 *
 * @param kind {@code RAISED} and {@code CLEARED} are transitions (published); {@code UPDATED} only refreshes lastValue
 */
public record AlertChange(Kind kind, Alert alert) {
  public enum Kind { RAISED, UPDATED, CLEARED }

  public boolean isTransition() {
    return kind != Kind.UPDATED;
  }
}
