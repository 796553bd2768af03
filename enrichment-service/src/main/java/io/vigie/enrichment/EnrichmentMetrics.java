package io.vigie.enrichment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service's counters, as {@code /metrics} shows them: {@code vigie_enrichment_stored_total},
 * {@code vigie_enrichment_duplicates_total} and {@code vigie_enrichment_failures_total{reason}}.
 */
final class EnrichmentMetrics {
  /** Why a measurement was not acknowledged: bad body, device lookup, Elasticsearch, alert service. */
  enum Failure { MALFORMED, DEVICE, STORE, ALERT }

  private final Counter stored;
  private final Counter duplicates;
  private final Map<Failure, Counter> failures;

  EnrichmentMetrics(MeterRegistry registry) {
    this.stored = Counter.builder("vigie.enrichment.stored")
        .description("Measurements stored for the first time").register(registry);
    this.duplicates = Counter.builder("vigie.enrichment.duplicates")
        .description("Re-delivered measurements found already stored").register(registry);
    this.failures = Stream.of(Failure.values()).collect(Collectors.toUnmodifiableMap(Function.identity(),
        reason -> Counter.builder("vigie.enrichment.failures").description("Measurements not acknowledged, by reason")
            .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry)));
  }

  void stored(boolean duplicate) {
    (duplicate ? duplicates : stored).increment();
  }

  void failed(Failure reason) {
    failures.get(reason).increment();
  }
}
