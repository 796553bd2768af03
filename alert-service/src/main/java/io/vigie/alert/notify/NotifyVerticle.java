package io.vigie.alert.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;
import io.vigie.alert.notify.store.ChannelStore;
import io.vigie.alert.notify.store.DeliveryLog;
import io.vigie.alert.notify.store.SilenceStore;
import io.vigie.alert.notify.store.TransitionStream;
import io.vigie.alert.notify.store.TransitionStream.Entry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alert transitions ({@link TransitionStream}, consumer group {@code notify}, one consumer per instance) and
 * notifies each to the channels on its device's path that accept its severity, unless a silence covers it. An entry
 * is acknowledged once every channel is notified or given up; the entries in work are kept fresh in the group, and
 * entries left unacknowledged by a dead instance are taken over after {@code claimIdleMs}, skipping the channels they
 * already went to. A Redis failure leaves the entry pending: it is taken over (here or elsewhere) later.
 */
final class NotifyVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyVerticle.class);
  static final int READ_COUNT = 32;
  static final long BLOCK_MS = 2000;
  /** A consumer idle this long with nothing pending is a gone instance's, removed at start. */
  static final long GONE_MS = 86_400_000;
  /**
   * Entries in work per instance before reading pauses: a memory bound only. Each channel's own queue is bounded
   * ({@code notify.queue}), so a dead channel holds at most that many entries and never pauses the others.
   */
  static final int MAX_IN_FLIGHT = 10_000;

  private final Notifications.Parts n;
  private final long claimIdleMs;
  private final Set<String> inFlight = new LinkedHashSet<>();
  private String claimFrom = "0-0";
  private boolean stopped;
  private boolean claiming;
  private int failures;
  private long timer = -1;

  NotifyVerticle(Notifications.Parts parts) {
    this.n = parts;
    this.claimIdleMs = parts.claimIdleMs();
  }

  @Override
  public Future<?> start() {
    return n.stream().createGroup().onSuccess(v -> {
      timer = vertx.setPeriodic(Math.max(100, claimIdleMs / 3), id -> housekeeping());
      read();
      LOG.info("notifying alert transitions as consumer {} of group {}", n.consumer(), TransitionStream.GROUP);
      n.stream().forgetIdleConsumers(n.consumer(), GONE_MS)
          .onSuccess(count -> { if (count > 0) LOG.info("{} consumers of gone instances removed from the group", count); })
          .onFailure(e -> LOG.warn("listing the consumers of {} failed: {}", TransitionStream.GROUP, e.getMessage()));
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void read() {
    if (stopped) return;
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      vertx.setTimer(50, id -> read());
      return;
    }
    n.stream().read(n.consumer(), READ_COUNT, BLOCK_MS)
        .onSuccess(entries -> {
          failures = 0;
          // routed one after the other, so each channel's lane receives the transitions in the stream's order
          Future<Void> routed = Future.succeededFuture();
          for (var entry : entries) routed = routed.eventually(() -> handle(entry, false));
          routed.onComplete(v -> read());
        })
        .onFailure(e -> {
          if (stopped) return;
          // one failure alone is usually the connection closing under a shutdown: warn from the second one on
          if (++failures > 1) LOG.warn("reading {} failed {} times ({}); again in 1 s", TransitionStream.KEY, failures, e.getMessage());
          vertx.setTimer(1000, id -> read());
        });
  }

  /** Keeps the entries in work fresh, then takes over the ones idle too long (a dead instance's, or ours). */
  private void housekeeping() {
    if (claiming) return;
    claiming = true;
    n.stream().keepAlive(n.consumer(), List.copyOf(inFlight))
        .compose(v -> n.stream().claimIdle(n.consumer(), claimIdleMs, claimFrom, READ_COUNT))
        .compose(claimed -> {
          claimFrom = claimed.next();
          Future<Void> routed = Future.succeededFuture();
          for (var e : claimed.entries()) {
            if (!inFlight.contains(e.id())) routed = routed.eventually(() -> handle(e, true));
          }
          return routed;
        })
        .onFailure(e -> LOG.warn("taking over idle transitions failed: {}", e.getMessage()))
        .onComplete(v -> claiming = false);
  }

  /** Completes once the entry is routed (handed to its channels' lanes, or found silenced or unrouted). */
  private Future<Void> handle(Entry entry, boolean takenOver) {
    if (entry.alert() == null) {
      n.stream().ack(entry.id());
      return Future.succeededFuture();
    }
    Transition transition;
    try {
      transition = Transition.parse(entry.alert());
    } catch (RuntimeException e) {
      LOG.warn("transition {} unreadable, skipped: {}", entry.id(), e.getMessage());
      n.meters().counter("vigie.notify.transitions", "outcome", "unreadable").increment();
      n.stream().ack(entry.id());
      return Future.succeededFuture();
    }
    inFlight.add(entry.id());
    var routed = route(entry.id(), transition, takenOver);
    routed.compose(channels -> dispatch(entry.id(), transition, channels))
        .compose(outcome -> {
          n.meters().counter("vigie.notify.transitions", "outcome", outcome).increment();
          return n.stream().ack(entry.id());
        })
        .onFailure(e -> LOG.warn("transition {} of alert {} left pending ({}): taken over later", entry.id(),
            transition.alertId(), e.getMessage()))
        .onComplete(v -> inFlight.remove(entry.id()));
    return routed.mapEmpty();
  }

  /** The channels still to notify; null when a silence covers the transition. */
  private Future<List<Channel>> route(String entryId, Transition t, boolean takenOver) {
    return n.silences().silenced(t.tenant(), t.devEui(), t.pathIds(), n.clock().instant()).compose(silenced -> {
      if (silenced) {
        LOG.debug("alert {} of {} ({}) silenced", t.alertId(), t.devEui(), t.kind());
        return Future.succeededFuture(null);
      }
      return n.channels().onPath(t.tenant(), t.pathIds())
          .compose(channels -> takenOver ? n.deliveries().sentTo(entryId).map(sent -> remaining(channels, sent, t))
              : Future.succeededFuture(remaining(channels, Set.of(), t)));
    });
  }

  /** {@code silenced}, {@code unrouted} (no channel) or {@code notified}, once every channel is done. */
  private Future<String> dispatch(String entryId, Transition t, List<Channel> channels) {
    if (channels == null) return Future.succeededFuture("silenced");
    if (channels.isEmpty()) return Future.succeededFuture("unrouted");
    var done = new ArrayList<Future<Void>>();
    for (var channel : channels) {
      done.add(n.dispatcher().send(channel, t, entryId + ":" + channel.id())
          .compose(v -> n.deliveries().sent(entryId, channel.tenant(), channel.id())));
    }
    return Future.all(done).map("notified");
  }

  private static List<Channel> remaining(List<Channel> channels, Set<String> sent, Transition t) {
    return channels.stream().filter(c -> c.accepts(t.severity()) && !sent.contains(c.tenant() + ":" + c.id())).toList();
  }
}
