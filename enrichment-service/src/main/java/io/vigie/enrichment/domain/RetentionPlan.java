package io.vigie.enrichment.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

/**
 * Which monthly indices retention deletes: those whose whole month is more than {@code months} months old, so that
 * at least {@code months} months of history are always kept. With 12 months on 2026-11-29, {@code …-2025.10} (which
 * ended on 2025-11-01) goes, {@code …-2025.11} stays until 2026-12-01. Names that are not monthly indices of the
 * prefix are never touched.
 */
public final class RetentionPlan {
  private RetentionPlan() {}

  /** The indices to delete; none when {@code months} is 0 (keep forever). */
  public static List<String> expired(Collection<String> indices, IndexNames names, int months, Instant now) {
    if (months <= 0) return List.of();
    var current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    return indices.stream()
        .filter(index -> names.month(index).map(month -> !month.plusMonths(months + 1L).isAfter(current)).orElse(false))
        .sorted()
        .toList();
  }
}
