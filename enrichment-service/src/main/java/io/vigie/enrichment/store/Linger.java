package io.vigie.enrichment.store;

/**
 * How long the bulk writer lets documents gather before a request: twice the recent time of a bulk request (a moving
 * average), at most {@code elasticsearch.bulk.maxDelay}. Elasticsearch's cost per document falls steeply with the
 * request's size (about three times more per document in requests of 10 than of 100: enrichment README, "Cost per
 * document"), but every millisecond of linger is latency for a live page. While Elasticsearch answers quickly it has
 * room to spare: a short linger spends CPU that is idle anyway and readings reach the pages sooner. Under load its
 * answers slow down, the linger grows up to the bound and the requests grow with it, which is what keeps the cost
 * per document low where capacity is decided. Confined to the writer's context.
 */
final class Linger {
  private static final double WEIGHT = 0.2;

  private final long maxNanos;
  private double averageNanos;

  Linger(long maxDelayMs) {
    this.maxNanos = maxDelayMs * 1_000_000;
  }

  /** A bulk request was answered after {@code nanos}. */
  void answered(long nanos) {
    averageNanos = averageNanos == 0 ? nanos : (1 - WEIGHT) * averageNanos + WEIGHT * nanos;
  }

  long nanos() {
    return Math.min(maxNanos, (long) (2 * averageNanos));
  }
}
