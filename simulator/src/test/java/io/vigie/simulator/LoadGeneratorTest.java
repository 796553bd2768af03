package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.UplinkSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The load generator")
class LoadGeneratorTest {

  /** Answers every uplink after {@code delayMs}; remembers whether a device ever had two uplinks in flight. */
  static final class SlowSender implements UplinkSender {
    final Vertx vertx;
    final long delayMs;
    final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    final Map<String, Long> lastFCnt = new ConcurrentHashMap<>();
    final List<String> outOfOrder = new CopyOnWriteArrayList<>();
    boolean started;
    boolean closed;

    SlowSender(Vertx vertx, long delayMs) {
      this.vertx = vertx;
      this.delayMs = delayMs;
    }

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public Future<Void> start() {
      started = true;
      return Future.succeededFuture();
    }

    @Override
    public Future<Outcome> send(Frame frame) {
      if (!inFlight.add(frame.devEui())) overlaps.add(frame.id());
      var previous = lastFCnt.put(frame.devEui(), frame.fCnt());
      if (previous != null && previous >= frame.fCnt()) outOfOrder.add(frame.id());
      var promise = Promise.<Outcome>promise();
      vertx.setTimer(delayMs, id -> {
        inFlight.remove(frame.devEui());
        promise.complete(frame.fCnt() % 10 == 0 ? Outcome.http(409, "replay") : Outcome.http(202, "{}"));
      });
      return promise.future();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }

  static List<Probe> probes(int count, double silence) {
    var probes = new ArrayList<Probe>();
    for (int i = 1; i <= count; i++) {
      probes.add(new Probe(String.format(Locale.ROOT, "70b3d57ed0%06x", i), "p" + i, "s", "f" + i, 0x26000000 | i,
          new byte[16], new byte[16], new FridgeModel(4, false, i), new Silence(silence, 2, 4, i), 1));
    }
    return probes;
  }

  @Test
  @DisplayName("sends exactly the count at the rate, never two uplinks of a probe at once nor out of order, and reports every outcome")
  void countAtRate(Vertx vertx, VertxTestContext test) {
    var sender = new SlowSender(vertx, 30);
    var lines = new CopyOnWriteArrayList<String>();
    var outcomes = new CopyOnWriteArrayList<Outcome>();
    var settings = new LoadSettings(100, null, 150, Duration.ZERO, 256, Duration.ofSeconds(10));
    var generator = new LoadGenerator(probes(5, 0), Gateways.of(2), sender, settings, lines::add,
        (frame, outcome) -> outcomes.add(outcome));
    LoadGenerator.run(vertx, generator).onComplete(test.succeeding(report -> test.verify(() -> {
      assertThat(report.sent()).isEqualTo(150);
      assertThat(report.acked() + report.rejected()).isEqualTo(150);
      assertThat(report.rejected()).as("every 10th counter answered 409").isEqualTo(15);
      assertThat(report.unanswered()).isZero();
      assertThat(outcomes).hasSize(150);
      assertThat(report.seconds()).as("150 at 100/s").isBetween(1.2, 6.0);
      assertThat(report.latency().count()).isEqualTo(135);
      assertThat(report.latency().p50()).isGreaterThanOrEqualTo(25.0);
      assertThat(sender.overlaps).isEmpty();
      assertThat(sender.outOfOrder).isEmpty();
      assertThat(sender.started).isTrue();
      assertThat(sender.closed).as("closed at undeploy").isTrue();
      assertThat(lines).anySatisfy(line -> assertThat(line).contains("slow  sent").contains("latency p50"));
      assertThat(lines.get(lines.size() - 1)).startsWith("slow: 150 sent in").contains("135 acked").contains("15 rejected");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a fleet too small for the rate sends what it can, counts the rest as missed, and counts silent readings")
  void fleetTooSmall(Vertx vertx, VertxTestContext test) {
    var sender = new SlowSender(vertx, 1);
    var settings = new LoadSettings(100, Duration.ofMillis(1500), 0, Duration.ofMillis(200), 256, Duration.ofSeconds(5));
    var generator = new LoadGenerator(probes(4, 0.3), Gateways.of(1), sender, settings, null, null);
    LoadGenerator.run(vertx, generator).onComplete(test.succeeding(report -> test.verify(() -> {
      // 4 probes, one turn every 200 ms each: at most ~32 turns in 1.5 s, some of them silent
      assertThat(report.sent() + report.silent()).isBetween(16L, 36L);
      assertThat(report.silent()).isPositive();
      assertThat(report.missed()).isGreaterThan(50);
      assertThat(sender.overlaps).isEmpty();
      assertThat(LoadGenerator.maxRate(4, Duration.ofMillis(200))).isEqualTo(20.0);
      test.completeNow();
    })));
  }
}
