package io.vigie.decoder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The decoder's counters (Prometheus names {@code vigie_decoder_…_total}):
 * <ul>
 *   <li>{@code vigie.decoder.uplinks{codec, result}} — result {@code decoded} or {@code error}
 *       (forwarded with errors recorded);</li>
 *   <li>{@code vigie.decoder.uplinks.refused{reason}} — {@code malformed}, {@code unknown_device},
 *       {@code registry_unavailable}: answered with a failure, not forwarded;</li>
 *   <li>{@code vigie.decoder.registry.requests} — device-context cache misses.</li>
 * </ul>
 */
final class DecoderMetrics {
  private final MeterRegistry meters;
  private final Counter registryRequests;

  DecoderMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.registryRequests = Counter.builder("vigie.decoder.registry.requests")
        .description("Device contexts asked from the registry (cache misses)").register(meters);
  }

  void decoded(String codec, boolean withErrors) {
    Counter.builder("vigie.decoder.uplinks").description("Uplinks decoded and forwarded")
        .tag("codec", codec).tag("result", withErrors ? "error" : "decoded").register(meters).increment();
  }

  void refused(String reason) {
    Counter.builder("vigie.decoder.uplinks.refused").description("Uplinks answered with a failure")
        .tag("reason", reason).register(meters).increment();
  }

  void registryRequest() {
    registryRequests.increment();
  }
}
