package io.vigie.alert.domain;

import io.vigie.common.message.Measurement;
import java.util.OptionalDouble;

/**
 * A condition on a device's measurements. Later rules come from the API, are inherited down the
 * hierarchy and carry durations and hysteresis; the state machine only needs these three answers.
 */
public interface AlertRule {

  /** Stable id: the current alert of a device is kept per rule. */
  String id();

  /** {@code critical}, {@code major}, {@code minor} or {@code warning}. */
  String severity();

  /** The value this rule watches in the measurement; empty when the rule has nothing to say about it. */
  OptionalDouble observe(Measurement measurement);

  /** Whether the observed value is in alarm. */
  boolean breached(double value);
}
