package io.vigie.simulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.UplinkSender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Sends the fleet's readings through one sender at a target rate, for a duration or a number of uplinks, with a
 * progress line every second. A verticle: the schedule, the counters and the sender all live on its context.
 *
 * <p>A probe sends again only once its previous uplink is answered and {@code deviceInterval} has passed (a real
 * device sends every few minutes): frames of one device never overtake each other, which the replay guard would
 * refuse. So the fleet sends at most {@code devices / deviceInterval} uplinks per second; readings that cannot be
 * sent within a second of their time are counted as missed rather than sent in a burst later. A silent probe
 * ({@link Silence}) uses its turn without sending.
 */
public final class LoadGenerator extends VerticleBase {
  private static final long TICK_MS = 10;

  private final List<Probe> probes;
  private final Gateways gateways;
  private final UplinkSender sender;
  private final LoadSettings settings;
  private final Consumer<String> progress;
  private final BiConsumer<Frame, Outcome> listener;
  private final Promise<LoadReport> finished = Promise.promise();
  private final Latencies latencies = new Latencies();
  private final boolean[] busy;
  private final long[] lastTurn;
  private int cursor;
  private long sent;
  private long acked;
  private long duplicates;
  private long rejected;
  private long failed;
  private long silent;
  private long missed;
  private int inFlight;
  private long startNanos;
  private long tickTimer = -1;
  private long progressTimer = -1;
  private long drainTimer = -1;
  private boolean stopping;
  private long lastProgressNanos;
  private long lastProgressSent;

  /**
   * @param progress where the progress lines go (every second, and the summary), or null
   * @param listener told of every frame sent and its outcome (on the generator's context), or null
   */
  public LoadGenerator(List<Probe> probes, Gateways gateways, UplinkSender sender, LoadSettings settings,
                       Consumer<String> progress, BiConsumer<Frame, Outcome> listener) {
    if (probes.isEmpty()) throw new IllegalArgumentException("no probes to send from");
    this.probes = List.copyOf(probes);
    this.gateways = gateways;
    this.sender = sender;
    this.settings = settings;
    this.progress = progress;
    this.listener = listener;
    this.busy = new boolean[probes.size()];
    this.lastTurn = new long[probes.size()];
  }

  /** Deploys the generator, waits for the end of the run, undeploys it (closing the sender). */
  public static Future<LoadReport> run(Vertx vertx, LoadGenerator generator) {
    return vertx.deployVerticle(generator)
        .compose(id -> generator.finished().eventually(() -> vertx.undeploy(id)));
  }

  /** The report, once the last answer is in (or the drain timeout passed). */
  public Future<LoadReport> finished() {
    return finished.future();
  }

  /** The most uplinks per second the fleet can send with this device interval. */
  public static double maxRate(int devices, Duration deviceInterval) {
    return deviceInterval.isZero() ? Double.POSITIVE_INFINITY : devices * 1000.0 / Math.max(1, deviceInterval.toMillis());
  }

  @Override
  public Future<?> start() {
    return sender.start().onSuccess(v -> {
      startNanos = System.nanoTime();
      lastProgressNanos = startNanos;
      var interval = settings.deviceInterval().toNanos();
      java.util.Arrays.fill(lastTurn, startNanos - interval);
      tickTimer = vertx.setPeriodic(0, TICK_MS, id -> tick());
      if (progress != null) progressTimer = vertx.setPeriodic(1000, 1000, id -> progress.accept(progressLine()));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(progressTimer);
    vertx.cancelTimer(drainTimer);
    return sender.close();
  }

  private void tick() {
    if (stopping) return;
    var now = System.nanoTime();
    var elapsed = now - startNanos;
    if (settings.duration() != null && !settings.duration().isZero() && elapsed >= settings.duration().toNanos()) {
      stopSending();
      return;
    }
    var due = (long) (settings.rate() * elapsed / 1e9) + 1;
    var owed = due - sent - missed;
    var cap = Math.max(1, (long) Math.ceil(settings.rate()));      // at most one second behind the schedule
    if (owed > cap) {
      missed += owed - cap;
      owed = cap;
    }
    while (owed > 0 && inFlight < settings.maxInFlight() && !countReached()) {
      var index = nextReady(now);
      if (index < 0) break;
      lastTurn[index] = now;
      var frame = probes.get(index).nextFrame(Instant.now(), gateways.receptions());
      if (frame == null) {
        silent++;
        continue;
      }
      owed--;
      send(index, frame);
    }
    if (countReached()) stopSending();
  }

  private boolean countReached() {
    return settings.count() > 0 && sent >= settings.count();
  }

  private int nextReady(long now) {
    var interval = settings.deviceInterval().toNanos();
    var n = probes.size();
    for (int i = 0; i < n; i++) {
      var index = (cursor + i) % n;
      if (!busy[index] && now - lastTurn[index] >= interval) {
        cursor = (index + 1) % n;
        return index;
      }
    }
    return -1;
  }

  private void send(int index, Frame frame) {
    busy[index] = true;
    sent++;
    inFlight++;
    var began = System.nanoTime();
    sender.send(frame).onComplete(done -> {
      var outcome = done.succeeded() ? done.result() : Outcome.failed(String.valueOf(done.cause().getMessage()));
      busy[index] = false;
      inFlight--;
      switch (outcome.kind()) {
        case ACKED -> acked++;
        case DUPLICATE -> duplicates++;
        case REJECTED -> rejected++;
        case FAILED -> failed++;
      }
      if (outcome.delivered()) latencies.record(System.nanoTime() - began);
      if (listener != null) listener.accept(frame, outcome);
      if (stopping && inFlight == 0) finish();
    });
  }

  private void stopSending() {
    if (stopping) return;
    stopping = true;
    vertx.cancelTimer(tickTimer);
    // what the schedule asked for and the fleet could not send, up to the end
    var elapsed = System.nanoTime() - startNanos;
    if (settings.duration() != null && !settings.duration().isZero()) elapsed = Math.min(elapsed, settings.duration().toNanos());
    var scheduled = (long) (settings.rate() * elapsed / 1e9);
    if (settings.count() > 0) scheduled = Math.min(scheduled, settings.count());
    missed = Math.max(missed, scheduled - sent);
    if (inFlight == 0) {
      finish();
    } else {
      drainTimer = vertx.setTimer(settings.drainTimeout().toMillis(), id -> finish());
    }
  }

  private void finish() {
    if (finished.future().isComplete()) return;
    vertx.cancelTimer(progressTimer);
    vertx.cancelTimer(drainTimer);
    var report = new LoadReport(sender.name(), ackMeaning(sender.name()), sent, acked, duplicates, rejected, failed, inFlight,
        silent, missed, (System.nanoTime() - startNanos) / 1e9, latencies.overall());
    if (progress != null) {
      progress.accept(progressLine());
      progress.accept(report.format());
    }
    finished.complete(report);
  }

  private String progressLine() {
    var now = System.nanoTime();
    var seconds = (now - lastProgressNanos) / 1e9;
    var rate = seconds > 0 ? (sent - lastProgressSent) / seconds : 0;
    lastProgressNanos = now;
    lastProgressSent = sent;
    return String.format(Locale.ROOT, "[%4ds] %s  sent %d  acked %d  rejected %d  failed %d  in flight %d  rate %.1f/s%s  %s",
        (now - startNanos) / 1_000_000_000L, sender.name(), sent, acked + duplicates, rejected, failed, inFlight, rate,
        missed > 0 ? "  missed " + missed : "", latencies.sinceLast().format());
  }

  /** What an acknowledgement means on this path, hence what the latency measures. */
  static String ackMeaning(String adapter) {
    if (adapter.startsWith("mqtt")) return "broker PUBACK";
    if (adapter.equals("udp")) return "PUSH_ACK";
    return "stored end to end";
  }
}
