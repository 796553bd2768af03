package io.vigie.gateway.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigie.common.metrics.Counters;
import io.vigie.common.metrics.Latency;
import java.util.concurrent.TimeUnit;
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
 *   <li>{@code vigie.gateway.ingest.dead.letters} — log entries that could not be read (a bug wrote them), moved to
 *       their partition's dead letters rather than blocking it;</li>
 *   <li>gauge {@code vigie.gateway.ingest.partitions.held{owner}} — partitions this instance drains;</li>
 *   <li>{@code vigie.gateway.uplinks.deduplicated{adapter}} — copies of a frame merged into another arrival;</li>
 *   <li>{@code vigie.gateway.uplinks.unacknowledged{adapter}} — MQTT messages left without PUBACK for the broker
 *       to deliver again;</li>
 *   <li>{@code vigie.gateway.events.ignored{adapter, event}} — non-uplink events (join, status, tx_ack…);</li>
 *   <li>{@code vigie.gateway.mqtt.reconnects{reason}} — {@code connection_lost} or {@code redelivery};</li>
 *   <li>gauges {@code vigie.gateway.uplinks.in.flight{adapter}} and {@code vigie.gateway.mqtt.connected};</li>
 *   <li>timers {@code vigie.gateway.ingest.wait} — how long an uplink waited in the log, appended → taken by its
 *   partition's consumer (the lag an operator watches) — and {@code vigie.gateway.ingest.batch.duration} — a batch sent
 *   → decoded, stored, evaluated and removed from the log; both with histogram buckets from 5 ms to 30 s.</li>
 * </ul>
 */
public final class IngestMetrics {
  private final MeterRegistry meters;
  /** Built once, not per uplink. */
  private final Counters counters;

  private final Timer waited;
  private final Timer batchDuration;

  public IngestMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.counters = new Counters(meters);
    this.waited = Latency.timer(meters, "vigie.gateway.ingest.wait", "How long uplinks waited in the ingest log, appended to taken by a consumer");
    this.batchDuration = Latency.timer(meters, "vigie.gateway.ingest.batch.duration",
        "Batches of the ingest log, sent down the pipeline to stored, evaluated and removed from the log");
  }

  /** An uplink appended at {@code appendedAtMs} (epoch, its log entry's id) was taken at {@code takenAtMs}. */
  public void waited(long appendedAtMs, long takenAtMs) {
    waited.record(Math.max(0, takenAtMs - appendedAtMs), TimeUnit.MILLISECONDS);
  }

  public void batchDone(long nanos) {
    batchDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void accepted(String adapter, boolean duplicate) {
    count("vigie.gateway.uplinks.accepted", "Uplinks acknowledged upstream (appended to the ingest log, or duplicates)",
        "adapter", adapter, "duplicate", String.valueOf(duplicate));
  }

  public void rejected(String adapter, String reason) {
    count("vigie.gateway.uplinks.rejected", "Ingestion requests refused, failed or dropped", "adapter", adapter, "reason", reason);
  }

  public void appended(String adapter, boolean duplicate) {
    if (duplicate) count("vigie.gateway.uplinks.duplicate", "Uplinks whose counter the ingest log had already appended", "adapter", adapter);
    else count("vigie.gateway.uplinks.appended", "Uplinks appended to the ingest log", "adapter", adapter);
  }

  public void batch(String outcome) {
    count("vigie.gateway.ingest.batches", "Batches of the ingest log sent on uplink.received", "outcome", outcome);
  }

  public void deadLetter() {
    count("vigie.gateway.ingest.dead.letters", "Ingest log entries that could not be read, moved to their partition's dead letters");
  }

  public void deduplicated(String adapter) {
    count("vigie.gateway.uplinks.deduplicated", "Copies of a frame merged into another arrival", "adapter", adapter);
  }

  public void unacknowledged(String adapter) {
    count("vigie.gateway.uplinks.unacknowledged", "MQTT messages left without PUBACK so that the broker delivers them again",
        "adapter", adapter);
  }

  public void ignored(String adapter, String event) {
    count("vigie.gateway.events.ignored", "Network-server events accepted and ignored", "adapter", adapter, "event", event);
  }

  public void reconnect(String reason) {
    count("vigie.gateway.mqtt.reconnects", "MQTT reconnections", "reason", reason);
  }

  public void inFlight(String adapter, Supplier<Number> value) {
    gauge("vigie.gateway.uplinks.in.flight", "Uplinks waiting to be appended to the ingest log", value, "adapter", adapter);
  }

  public void partitionsHeld(String owner, Supplier<Number> value) {
    gauge("vigie.gateway.ingest.partitions.held", "Partitions of the ingest log this instance drains", value, "owner", owner);
  }

  public void mqttConnected(Supplier<Number> value) {
    gauge("vigie.gateway.mqtt.connected", "1 while connected and subscribed to the broker", value);
  }

  private void count(String name, String description, String... tags) {
    counters.increment(name, description, tags);
  }

  private void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(meters);
  }
}
