package io.vigie.gateway.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The gateway's meters (Prometheus names {@code vigie_gateway_…_total}); {@code adapter} is
 * {@code chirpstack-v4}, {@code tts-v3}, {@code thingpark} (HTTP), {@code mqtt} or {@code semtech-udp}:
 * <ul>
 *   <li>{@code vigie.gateway.uplinks.accepted{adapter, duplicate}} — acknowledged upstream (appended, or a duplicate);</li>
 *   <li>{@code vigie.gateway.uplinks.rejected{adapter, reason}} — refused, failed or dropped (see the README for
 *       the reasons);</li>
 *   <li>{@code vigie.gateway.uplinks.appended{adapter}} — appended to the ingest log;</li>
 *   <li>{@code vigie.gateway.uplinks.duplicate{adapter}} — answered duplicate by the ingest log (no second entry);</li>
 *   <li>{@code vigie.gateway.ingest.batches{outcome}} — batches sent by the partition consumers, {@code done} or
 *       {@code failed} (kept in the log, sent again);</li>
 *   <li>gauge {@code vigie.gateway.ingest.partitions.held{owner}} — partitions this instance drains;</li>
 *   <li>{@code vigie.gateway.uplinks.deduplicated{adapter}} — copies of a frame merged into another arrival;</li>
 *   <li>{@code vigie.gateway.uplinks.unacknowledged{adapter}} — MQTT messages left without PUBACK for the broker
 *       to deliver again;</li>
 *   <li>{@code vigie.gateway.events.ignored{adapter, event}} — non-uplink events (join, status, tx_ack…);</li>
 *   <li>{@code vigie.gateway.mqtt.reconnects{reason}} — {@code connection_lost} or {@code redelivery};</li>
 *   <li>gauges {@code vigie.gateway.uplinks.in.flight{adapter}} and {@code vigie.gateway.mqtt.connected}.</li>
 * </ul>
 */
public final class IngestMetrics {
  private final MeterRegistry meters;

  public IngestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  public void accepted(String adapter, boolean duplicate) {
    Counter.builder("vigie.gateway.uplinks.accepted").description("Uplinks acknowledged upstream (appended to the ingest log, or duplicates)")
        .tag("adapter", adapter).tag("duplicate", String.valueOf(duplicate)).register(meters).increment();
  }

  public void rejected(String adapter, String reason) {
    Counter.builder("vigie.gateway.uplinks.rejected").description("Ingestion requests refused, failed or dropped")
        .tag("adapter", adapter).tag("reason", reason).register(meters).increment();
  }

  public void appended(String adapter, boolean duplicate) {
    Counter.builder(duplicate ? "vigie.gateway.uplinks.duplicate" : "vigie.gateway.uplinks.appended")
        .description(duplicate ? "Uplinks whose counter the ingest log had already appended" : "Uplinks appended to the ingest log")
        .tag("adapter", adapter).register(meters).increment();
  }

  public void batch(String outcome) {
    Counter.builder("vigie.gateway.ingest.batches").description("Batches of the ingest log sent on uplink.received")
        .tag("outcome", outcome).register(meters).increment();
  }

  public void partitionsHeld(String owner, Supplier<Number> value) {
    Gauge.builder("vigie.gateway.ingest.partitions.held", value).description("Partitions of the ingest log this instance drains")
        .tag("owner", owner).register(meters);
  }

  public void deduplicated(String adapter) {
    Counter.builder("vigie.gateway.uplinks.deduplicated").description("Copies of a frame merged into another arrival")
        .tag("adapter", adapter).register(meters).increment();
  }

  public void unacknowledged(String adapter) {
    Counter.builder("vigie.gateway.uplinks.unacknowledged")
        .description("MQTT messages left without PUBACK so that the broker delivers them again")
        .tag("adapter", adapter).register(meters).increment();
  }

  public void ignored(String adapter, String event) {
    Counter.builder("vigie.gateway.events.ignored").description("Network-server events accepted and ignored")
        .tag("adapter", adapter).tag("event", event).register(meters).increment();
  }

  public void reconnect(String reason) {
    Counter.builder("vigie.gateway.mqtt.reconnects").description("MQTT reconnections")
        .tag("reason", reason).register(meters).increment();
  }

  public void inFlight(String adapter, Supplier<Number> value) {
    Gauge.builder("vigie.gateway.uplinks.in.flight", value).description("Uplinks waiting for their end-to-end ack")
        .tag("adapter", adapter).register(meters);
  }

  public void mqttConnected(Supplier<Number> value) {
    Gauge.builder("vigie.gateway.mqtt.connected", value).description("1 while connected and subscribed to the broker")
        .register(meters);
  }
}
