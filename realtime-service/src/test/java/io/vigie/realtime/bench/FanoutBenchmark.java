package io.vigie.realtime.bench;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.message.Batch;
import io.vigie.realtime.LiveFixture;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out of the realtime service to many plain WebSocket subscribers ({@code /ws}), all on one site's
 * {@code telemetry.node.<id>}: measurements are published on {@code measurement.published} at a fixed rate (open
 * loop, as the enrichment service does), each is pushed to every subscriber. Reports the pushes delivered per second
 * and the latency publish → received by the client (p50, p99, max), and what the server dropped.
 *
 * <pre>
 * bench/fanout [--subscribers 2000] [--rate 50] [--seconds 10] [--warmup 5] [--http-instances n] [--client-threads 1]
 * </pre>
 * The clients run in the same JVM ({@link WebSocketSwarm}: plain sockets on one thread, only the sequence number of a
 * push read), so on a small machine they share its cores with the server: the numbers are a floor.
 */
public final class FanoutBenchmark {
  private FanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int subscribers = option(args, "--subscribers", 2000);
    int rate = option(args, "--rate", 50);
    int seconds = option(args, "--seconds", 10);
    int warmup = option(args, "--warmup", 5);
    // HTTP servers (event loops) holding the sockets: the service's default (one per core) unless given
    int httpInstances = option(args, "--http-instances", 0);
    // threads reading the subscribers' sockets (each its own selector)
    int clientThreads = option(args, "--client-threads", 1);
    int messages = rate * (warmup + seconds);
    int measured = rate * warmup;   // the first messages warm the JIT up: not counted
    var address = "telemetry.node.site-paris";

    var settings = new JsonObject().put("realtime", new JsonObject().put("queueSize", 1024));
    if (httpInstances > 0) settings.put("http", new JsonObject().put("instances", httpInstances));
    var live = LiveFixture.launch(settings);
    var sentAt = new long[messages];
    var measuredFrom = new AtomicLong();
    var cpuFrom = new AtomicLong();
    var clientCpuFrom = new AtomicLong();
    var token = live.token(Role.VIEWER, "site-paris");
    try (var swarm = new WebSocketSwarm(live.port(), token, address, subscribers, clientThreads, measured, seq -> sentAt[seq],
        messages - measured)) {
      if (!swarm.ready.await(120, SECONDS)) {
        throw new IllegalStateException(swarm.ready.getCount() + " subscribers got no snapshot; close codes " + swarm.closes
            + ", failures " + swarm.failures);
      }
      System.out.printf("%d subscribers on %s (%d client thread(s)); publishing %d measurements/s for %d s (+%d s warm-up)%n",
          subscribers, address, clientThreads, rate, seconds, warmup);

      var template = LiveFixture.measurement(LiveFixture.PARIS_PROBE, LiveFixture.PARIS_PATH);
      var bus = live.vertx.eventBus();
      var start = System.nanoTime();
      var published = new AtomicInteger();
      var done = new CountDownLatch(1);
      // open loop: message i is due at start + i / rate, whatever happened to the earlier ones
      live.vertx.setPeriodic(1, id -> {
        var due = Math.min(messages, (int) ((System.nanoTime() - start) * rate / 1_000_000_000L) + 1);
        while (published.get() < due) {
          int seq = published.getAndIncrement();
          if (seq == measured) {
            measuredFrom.set(System.nanoTime());
            cpuFrom.set(cpu());
            clientCpuFrom.set(swarm.cpu());
          }
          var document = template.copy().put("fCnt", seq);
          sentAt[seq] = System.nanoTime();
          bus.publish(Addresses.MEASUREMENT_PUBLISHED, new JsonObject().put(Batch.MEASUREMENTS, new JsonArray().add(document)));
        }
        if (published.get() >= messages) {
          live.vertx.cancelTimer(id);
          done.countDown();
        }
      });
      done.await(seconds + 60L, SECONDS);
      var expected = (long) subscribers * (messages - measured);
      var deadline = System.nanoTime() + SECONDS.toNanos(30);
      while (swarm.received() + droppedOnServer(live) < expected && System.nanoTime() < deadline) {
        live.vertx.timer(100).await();   // waiting for the last pushes to arrive
      }
      var received = swarm.received();
      var pushes = Math.max(1, received);
      var cpuPerPush = (cpu() - cpuFrom.get()) / 1e3 / pushes;
      var clientPerPush = (swarm.cpu() - clientCpuFrom.get()) / 1e3 / pushes;
      System.out.printf("CPU per push delivered: %.1f µs for this JVM, of which %.1f µs the clients' threads, %.1f µs the rest (server)%n",
          cpuPerPush, clientPerPush, cpuPerPush - clientPerPush);
      if (!swarm.closes.isEmpty() || !swarm.failures.isEmpty()) {
        System.out.println("connections closed by the server, by close code: " + swarm.closes + "; failures " + swarm.failures);
      }
      report(subscribers, rate, seconds, expected, received, droppedOnServer(live), swarm.dropNotices.get(),
          (swarm.lastArrival() - measuredFrom.get()) / 1e9, swarm.latencies());
    } finally {
      live.close();
    }
  }

  private static void report(int subscribers, int rate, int seconds, long expected, long received, long dropped,
                             int notices, double elapsed, long[] latencies) {
    Arrays.sort(latencies);
    System.out.printf("pushes expected %d, received %d, dropped by the server %d (%d drop notices)%n",
        expected, received, dropped, notices);
    System.out.printf("delivered %.0f pushes/s (%d subscribers x %d msg/s offered = %d pushes/s, over %.1f s)%n",
        received / elapsed, subscribers, rate, (long) subscribers * rate, elapsed);
    System.out.printf("latency publish -> received: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0));
  }

  /** CPU time of this process, ns. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long droppedOnServer(LiveFixture live) {
    return (long) live.running.meters().find("vigie.realtime.pushes").tag("outcome", "dropped").counter().count();
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static int option(String[] args, String name, int fallback) {
    List<String> list = Arrays.asList(args);
    int at = list.indexOf(name);
    return at >= 0 && at + 1 < list.size() ? Integer.parseInt(list.get(at + 1)) : fallback;
  }
}
