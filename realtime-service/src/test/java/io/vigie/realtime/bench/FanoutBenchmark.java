package io.vigie.realtime.bench;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.message.Batch;
import io.vigie.realtime.LiveFixture;
import java.util.ArrayList;
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
 * bench/fanout [--subscribers 2000] [--rate 50] [--seconds 10] [--warmup 5] [--http-instances n]
 * </pre>
 * The clients run in the same JVM (their own Vert.x, two event loops), so on a small machine they share its cores
 * with the server: the numbers are a floor.
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
    int messages = rate * (warmup + seconds);
    int measured = rate * warmup;   // the first messages warm the JIT up: not counted
    var address = "telemetry.node.site-paris";

    var settings = new JsonObject().put("realtime", new JsonObject().put("queueSize", 1024));
    if (httpInstances > 0) settings.put("http", new JsonObject().put("instances", httpInstances));
    var live = LiveFixture.launch(settings);
    var clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    var sentAt = new long[messages];
    var latencies = new long[subscribers * (messages - measured)];
    var measuredFrom = new AtomicLong();
    var cpuFrom = new AtomicLong();
    var received = new AtomicInteger();
    var lastArrival = new AtomicLong();
    var ready = new CountDownLatch(subscribers);
    var dropNotices = new AtomicInteger();
    var closes = new java.util.concurrent.ConcurrentHashMap<String, AtomicInteger>();
    var clientThreads = java.util.concurrent.ConcurrentHashMap.<Long>newKeySet();
    var clientCpuFrom = new AtomicLong();
    try {
      var token = live.token(Role.VIEWER, "site-paris");
      var client = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(subscribers + 10));
      var connecting = new ArrayList<io.vertx.core.Future<?>>();
      for (int i = 0; i < subscribers; i++) {
        var options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(live.port()).setURI("/ws?access_token=" + token);
        connecting.add(client.connect(options).onSuccess(ws -> {
          // raw bytes, no String per push: the client's CPU is measured apart and should stay small
          ws.handler(data -> {
            clientThreads.add(Thread.currentThread().getId());
            if (startsWith(data, REC)) {
              var seq = fCnt(data);
              if (seq < measured) return;
              var now = System.nanoTime();
              latencies[received.getAndIncrement()] = now - sentAt[seq];
              lastArrival.set(now);
            } else if (startsWith(data, SNAPSHOT)) {
              ready.countDown();
            } else if (data.toString().contains("\"dropped\"")) {
              dropNotices.incrementAndGet();
            }
          });
          ws.closeHandler(v -> closes.computeIfAbsent(String.valueOf(ws.closeStatusCode()), k -> new AtomicInteger()).incrementAndGet());
          ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
        }));
        if (connecting.size() % 200 == 0) io.vertx.core.Future.join(connecting).await(60, SECONDS);
      }
      io.vertx.core.Future.join(connecting).await(120, SECONDS);
      if (!ready.await(120, SECONDS)) throw new IllegalStateException(ready.getCount() + " subscribers got no snapshot");
      System.out.printf("%d subscribers on %s; publishing %d measurements/s for %d s (+%d s warm-up)%n", subscribers, address,
          rate, seconds, warmup);

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
            clientCpuFrom.set(threadsCpu(clientThreads));
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
      while (received.get() + droppedOnServer(live) < expected && System.nanoTime() < deadline) {
        live.vertx.timer(100).await();   // waiting for the last pushes to arrive
      }
      var pushes = Math.max(1, received.get());
      var cpuPerPush = (cpu() - cpuFrom.get()) / 1e3 / pushes;
      var clientPerPush = (threadsCpu(clientThreads) - clientCpuFrom.get()) / 1e3 / pushes;
      System.out.printf("CPU per push delivered: %.1f µs for this JVM, of which %.1f µs the clients' event loops, %.1f µs the rest (server)%n",
          cpuPerPush, clientPerPush, cpuPerPush - clientPerPush);
      if (!closes.isEmpty()) System.out.println("connections closed by the server, by close code: " + closes);
      report(subscribers, rate, seconds, expected, received.get(), droppedOnServer(live), dropNotices.get(),
          (lastArrival.get() - measuredFrom.get()) / 1e9, Arrays.copyOf(latencies, received.get()));
    } finally {
      clients.close().await(30, SECONDS);
      live.close();
    }
  }

  private static void report(int subscribers, int rate, int seconds, long expected, int received, long dropped,
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

  private static final byte[] REC = "{\"type\":\"rec\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] SNAPSHOT = "{\"type\":\"snapshot\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] F_CNT = "\"fCnt\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static boolean startsWith(Buffer data, byte[] prefix) {
    return matchesAt(data, prefix, 0);
  }

  private static boolean matchesAt(Buffer data, byte[] wanted, int at) {
    if (at + wanted.length > data.length()) return false;
    for (int j = 0; j < wanted.length; j++) {
      if (data.getByte(at + j) != wanted[j]) return false;
    }
    return true;
  }

  /** Where {@code "fCnt":} was in the last push: every push has the same layout, so it is looked for only once. */
  private static volatile int fCntAt = -1;

  /** The frame counter of a push, read from the bytes without parsing the frame (nor copying them). */
  private static int fCnt(Buffer data) {
    int at = fCntAt;
    if (at < 0 || !matchesAt(data, F_CNT, at)) {
      at = 0;
      while (at < data.length() && !matchesAt(data, F_CNT, at)) at++;
      fCntAt = at;
    }
    at += F_CNT.length;
    int value = 0;
    for (byte b; at < data.length() && (b = data.getByte(at)) >= '0' && b <= '9'; at++) value = value * 10 + (b - '0');
    return value;
  }

  /** CPU time of these threads, ns. */
  private static long threadsCpu(java.util.Set<Long> threads) {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (var id : threads) total += Math.max(0, bean.getThreadCpuTime(id));
    return total;
  }

  private static int option(String[] args, String name, int fallback) {
    List<String> list = Arrays.asList(args);
    int at = list.indexOf(name);
    return at >= 0 && at + 1 < list.size() ? Integer.parseInt(list.get(at + 1)) : fallback;
  }
}
