package io.vigie.gateway.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The gateway's counters (Prometheus names {@code vigie_gateway_…_total}):
 * <ul>
 *   <li>{@code vigie.gateway.uplinks.accepted{adapter, duplicate}} — acknowledged end to end;</li>
 *   <li>{@code vigie.gateway.uplinks.rejected{adapter, reason}} — answered 4xx/5xx, reason one of
 *       {@code unauthorized, bad_event, malformed, unsupported_media_type, too_large, unknown_device,
 *       saturated, unavailable, rejected};</li>
 *   <li>{@code vigie.gateway.events.ignored{adapter, event}} — non-uplink events (join, status…);</li>
 *   <li>gauge {@code vigie.gateway.uplinks.in.flight{adapter}}.</li>
 * </ul>
 */
public final class IngestMetrics {
  private final MeterRegistry meters;

  public IngestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  public void accepted(String adapter, boolean duplicate) {
    Counter.builder("vigie.gateway.uplinks.accepted").description("Uplinks acknowledged end to end")
        .tag("adapter", adapter).tag("duplicate", String.valueOf(duplicate)).register(meters).increment();
  }

  public void rejected(String adapter, String reason) {
    Counter.builder("vigie.gateway.uplinks.rejected").description("Ingestion requests refused or failed")
        .tag("adapter", adapter).tag("reason", reason).register(meters).increment();
  }

  public void ignored(String adapter, String event) {
    Counter.builder("vigie.gateway.events.ignored").description("Network-server events accepted and ignored")
        .tag("adapter", adapter).tag("event", event).register(meters).increment();
  }

  public void inFlight(String adapter, Supplier<Number> value) {
    Gauge.builder("vigie.gateway.uplinks.in.flight", value).description("Uplinks waiting for their end-to-end ack")
        .tag("adapter", adapter).register(meters);
  }
}
