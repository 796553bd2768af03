package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.bus.StageRequests;
import io.vigie.gateway.store.IngestLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PartitionConsumer} for every partition whose lease this instance holds. Every third of
 * {@code ingest.leaseMs} it renews the leases it holds (a compare-and-extend script) and tries to take the free or
 * expired ones ({@code SET NX PX}). A lease it could not renew, or whose time ran out without a renewal, stops that
 * consumer at once. Stopping the verticle releases the leases, so another instance takes over without waiting.
 *
 * <p>Gateway instances share the partitions: each one publishes its id on {@link Addresses#INGEST_GATEWAYS} at every
 * tick and counts those heard within a lease time; it holds at most its fair share, {@code ceil(partitions /
 * instances)}, and releases the rest (its consumers stop; their pending entries are processed again by the next
 * holder, idempotently). When an instance dies, the others stop hearing it, their share grows, and they take its
 * partitions once its leases expire.
 */
public final class IngestConsumers extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestConsumers.class);

  private record Held(PartitionConsumer consumer, long[] validUntil) {}

  private final IngestLog log;
  private final String owner;
  private final IngestMetrics metrics;
  private final LongSupplier clockMs;
  private final TreeMap<Integer, Held> held = new TreeMap<>();
  private volatile boolean renewalPaused;
  private boolean stopped;
  private volatile int heldCount;
  private long ticker = -1;
  private StageRequests decoders;
  /** Gateway instance id → when it was last heard (clockMs), this one included. */
  private final Map<String, Long> gateways = new HashMap<>();

  /**
   * @param owner this instance's id, the value of the leases it holds
   * @param clockMs a monotonic clock in ms
   */
  public IngestConsumers(IngestLog log, String owner, IngestMetrics metrics, LongSupplier clockMs) {
    this.log = log;
    this.owner = owner;
    this.metrics = metrics;
    this.clockMs = clockMs;
    metrics.partitionsHeld(owner, () -> heldCount);
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    decoders = new StageRequests(vertx, Addresses.UPLINK_RECEIVED, log.settings().requestTimeoutMs());
    var peers = vertx.eventBus().<String>consumer(Addresses.INGEST_GATEWAYS, message -> {
      if (message.body() != null) gateways.put(message.body(), clockMs.getAsLong());
    });
    tick();
    ticker = vertx.setPeriodic(Math.max(10, log.settings().leaseMs() / 3), id -> tick());
    return peers.completion();
  }

  /** Each consumer's batch in flight finishes, then its lease is released: another instance takes over at once. */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(ticker);
    var released = new ArrayList<Future<Void>>();
    held.forEach((partition, h) -> released.add(h.consumer().drain()
        .compose(drained -> log.release(partition, owner)).otherwiseEmpty()));
    held.clear();
    heldCount = 0;
    released.add(decoders.close());
    return Future.join(released);
  }

  /** The partitions this instance drains now. */
  public synchronized Set<Integer> held() {
    return Set.copyOf(held.keySet());
  }

  /** For tests: stops renewing the leases, as a stalled or partitioned instance would. */
  public void pauseRenewal(boolean paused) {
    renewalPaused = paused;
  }

  /** ceil(partitions / gateway instances heard within a lease time). */
  int fairShare() {
    var now = clockMs.getAsLong();
    gateways.put(owner, now);
    gateways.values().removeIf(heard -> now - heard > log.settings().leaseMs());
    return (log.settings().partitions() + gateways.size() - 1) / gateways.size();
  }

  private void tick() {
    var started = clockMs.getAsLong();
    vertx.eventBus().publish(Addresses.INGEST_GATEWAYS, owner);
    var share = fairShare();
    var excess = held.size() - share;
    var givenUp = new HashSet<Integer>();
    for (var partition : new ArrayList<>(held.descendingKeySet())) {
      if (excess-- <= 0) break;
      giveUp(partition, held.get(partition), "its share is " + share + " of " + log.settings().partitions());
      givenUp.add(partition);
    }
    for (int p = 0; p < log.settings().partitions(); p++) {
      var partition = p;
      var current = held.get(partition);
      if (givenUp.contains(partition)) continue;
      if (current != null) {
        if (!current.consumer().running()) {
          giveUp(partition, current, "its consumer stopped");
        } else if (started >= current.validUntil()[0]) {
          lose(partition, current, "its time ran out without a renewal");
        } else if (!renewalPaused) {
          log.renew(partition, owner).onComplete(renewed -> {
            if (held.get(partition) != current) return;
            if (renewed.succeeded() && renewed.result()) current.validUntil()[0] = started + log.settings().leaseMs();
            else if (renewed.succeeded()) lose(partition, current, "another instance holds it");
          });
        }
      } else {
        log.acquire(partition, owner).onSuccess(taken -> {
          if (!taken || held.containsKey(partition)) return;
          if (stopped || held.size() >= fairShare()) {
            log.release(partition, owner);
            return;
          }
          var validUntil = new long[] {started + log.settings().leaseMs()};
          var consumer = new PartitionConsumer(vertx, log,
              new PartitionConsumer.Holder(partition, owner, () -> clockMs.getAsLong() < validUntil[0]), metrics, decoders);
          put(partition, new Held(consumer, validUntil));
          consumer.start();
        });
      }
    }
  }

  private void lose(int partition, Held current, String why) {
    LOG.warn("ingest partition {}: lease lost by {} ({}): its consumer stops", partition, owner, why);
    current.consumer().stop();
    remove(partition);
  }

  /** Stops the consumer and frees the lease at once, for another instance to take. */
  private void giveUp(int partition, Held current, String why) {
    LOG.info("ingest partition {}: released by {} ({})", partition, owner, why);
    current.consumer().stop();
    remove(partition);
    log.release(partition, owner);
  }

  private synchronized void put(int partition, Held h) {
    held.put(partition, h);
    heldCount = held.size();
  }

  private synchronized void remove(int partition) {
    held.remove(partition);
    heldCount = held.size();
  }
}
