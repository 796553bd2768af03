package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vigie.common.message.Ack;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns the copies of one frame (heard by several gateways, or delivered twice by a broker) into one uplink.
 * The first arrival opens an entry and waits {@code windowMs}; copies arriving meanwhile add their gateways'
 * radio metadata to it; then the merged uplink is sent once, and every copy shares its outcome. Copies arriving
 * while it is in flight share the outcome without adding their gateway; for {@code windowMs} after a success,
 * late copies are answered "duplicate" at once. A failure forgets the entry, so that a redelivery is tried again.
 *
 * <p>Thread-safe: adapters run on different event loops. State lives in this JVM only: in a cluster, copies
 * that reach different gateway instances are not merged here (the pipeline's idempotence stores them once).
 */
final class Deduplicator {
  private final Vertx vertx;
  private final Map<String, Entry> entries = new HashMap<>();

  Deduplicator(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The outcome of one arrival; {@code copy} when it joined an earlier arrival of the same frame. */
  record Submission(Future<Ack> outcome, boolean copy) {}

  /**
   * @param acquire takes an in-flight slot for a first arrival; false = saturated
   * @param saturated the failure when no slot is free
   * @param send sends the merged uplink (its slot acquired)
   */
  Submission submit(String key, Uplink uplink, long windowMs, BooleanSupplier acquire,
                    Supplier<? extends Throwable> saturated, Function<Uplink, Future<Ack>> send) {
    Entry entry;
    synchronized (this) {
      var existing = entries.get(key);
      if (existing != null) return new Submission(existing.join(uplink), true);
      if (!acquire.getAsBoolean()) return new Submission(Future.failedFuture(saturated.get()), false);
      entry = new Entry(uplink, windowMs);
      entries.put(key, entry);
      if (windowMs > 0) vertx.setTimer(windowMs, id -> flush(key, entry, send));
    }
    if (windowMs == 0) flush(key, entry, send);
    return new Submission(entry.outcome.future(), false);
  }

  synchronized int size() {
    return entries.size();
  }

  private void flush(String key, Entry entry, Function<Uplink, Future<Ack>> send) {
    Uplink merged;
    synchronized (this) {
      entry.sent = true;
      merged = entry.merged;
    }
    Future<Ack> sent;
    try {
      sent = send.apply(merged);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(result -> {
      synchronized (this) {
        if (result.succeeded() && entry.windowMs > 0) {
          entry.done = true;
          vertx.setTimer(entry.windowMs, id -> forget(key, entry));
        } else {
          entries.remove(key, entry);
        }
      }
      entry.outcome.handle(result);
    });
  }

  private synchronized void forget(String key, Entry entry) {
    entries.remove(key, entry);
  }

  /** Guarded by the deduplicator's lock. */
  private static final class Entry {
    final Promise<Ack> outcome = Promise.promise();
    final long windowMs;
    Uplink merged;
    boolean sent;
    boolean done;

    Entry(Uplink first, long windowMs) {
      this.merged = first;
      this.windowMs = windowMs;
    }

    Future<Ack> join(Uplink copy) {
      if (done) return Future.succeededFuture(new Ack(merged.id(), true));
      if (!sent) merged = withRx(merged, copy.rx());
      return outcome.future();
    }

    /** The radio metadata of both, one entry per gateway (the first report of a gateway wins); tx of the first. */
    private static Uplink withRx(Uplink uplink, List<RxInfo> more) {
      var rx = new ArrayList<>(uplink.rx());
      for (var info : more) {
        if (rx.stream().noneMatch(known -> known.gatewayId().equals(info.gatewayId()))) rx.add(info);
      }
      return uplink.withRx(rx); // the first arrival's tx info (frequency, data rate…) is kept
    }
  }
}
