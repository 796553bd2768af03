package io.vigie.simulator.capacity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.Latencies;
import io.vigie.simulator.Probe;
import io.vigie.simulator.sender.ChirpStackUplinks;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench/e2e}: the platform's end-to-end ingestion capacity and cost. Starts the embedded platform (or uses
 * {@code --url}), registers a fleet of ABP probes, then for each step builds every request body (encrypted frame,
 * ChirpStack JSON) before the clock starts, sends them open-loop at the step's rate ({@link OpenLoop}), and measures
 * over the step's window: what was accepted, refused and stored, the latencies, and the CPU time of the platform JVM,
 * Redis, Elasticsearch and the generator itself. Ends with a raw {@code _bulk} of stored documents into the same
 * Elasticsearch, the yardstick of its cost. Runs on the caller's thread (it blocks; never call it on an event loop).
 */
public final class CapacityRun {
  static final String PATH = "/uplinks/chirpstack?event=up";
  private static final long NANOS = 1_000_000_000L;

  private final CapacityOptions options;
  private final PrintStream out;
  private final Vertx vertx;
  private final WebClient metricsClient;
  private String url;
  private String ingestToken;
  private Elastic elastic;
  private LivePushes pushes;
  private ProcCpu.Group platform;
  private ProcCpu.Group redis;
  private ProcCpu.Group es;
  private final ProcCpu.Group generator = new ProcCpu.Group("generator", List.of(ProcessHandle.current().pid()));

  private CapacityRun(CapacityOptions options, Vertx vertx, PrintStream out) {
    this.options = options;
    this.vertx = vertx;
    this.out = out;
    this.metricsClient = WebClient.create(vertx);
  }

  /** Runs the whole benchmark; writes the report into {@code options.results()} when set. */
  public static CapacityReport run(CapacityOptions options, Vertx vertx, PrintStream out) throws Exception {
    var work = Files.createTempDirectory("vigie-bench-");
    PlatformProcess started = null;
    Thread stopper = null;
    var run = new CapacityRun(options, vertx, out);
    try {
      String adminPassword;
      String esUrl;
      long pid;
      if (options.url() == null) {
        out.println("Starting the embedded platform (log " + work.resolve("platform.log") + ")…");
        started = PlatformProcess.start(options.platformClasspath(), options.esHome(),
            System.getenv().getOrDefault("VIGIE_JAVA_OPTS", "-Xms256m -Xmx512m"), work);
        var platformProcess = started.process;
        stopper = new Thread(platformProcess::destroy, "stop-the-platform");
        Runtime.getRuntime().addShutdownHook(stopper);     // Ctrl-C of the benchmark stops the platform too
        started.awaitReady(Duration.ofMinutes(5));
        run.url = started.url;
        run.ingestToken = started.ingestToken;
        adminPassword = started.adminPassword;
        esUrl = started.elasticsearchUrl();
        pid = started.process.pid();
      } else {
        run.url = options.url();
        run.ingestToken = options.ingestToken();
        adminPassword = options.adminPassword();
        esUrl = options.esUrl();
        pid = options.platformPid() > 0 ? options.platformPid() : ProcCpu.listening(URI.create(run.url).getPort())
            .orElseThrow(() -> new IllegalStateException("no process of this user listens on " + run.url + ": give --platform-pid"));
      }
      var report = run.measure(pid, adminPassword, esUrl, work);
      if (options.results() != null) {
        report.writeInto(options.results());
        out.println("Report written into " + options.results());
      }
      return report;
    } finally {
      if (run.pushes != null) await(run.pushes.close());
      if (run.elastic != null) run.elastic.close();
      run.metricsClient.close();
      if (started != null) started.close();
      if (stopper != null) Runtime.getRuntime().removeShutdownHook(stopper);
      deleteTree(work.resolve("data"));
      if (!options.jfr()) deleteTree(work);
    }
  }

  private CapacityReport measure(long pid, String adminPassword, String esUrl, Path work) throws Exception {
    platform = new ProcCpu.Group("platform", List.of(pid));
    redis = options.redisPid() > 0 ? ProcCpu.tree("redis", options.redisPid()) : ProcCpu.descendants("redis", pid, "redis-server");
    es = options.esPid() > 0 ? ProcCpu.tree("elasticsearch", options.esPid()) : ProcCpu.descendants("elasticsearch", pid, "elasticsearch");
    if (es.pids().isEmpty()) {
      es = ProcCpu.listening(URI.create(esUrl).getPort()).map(p -> ProcCpu.tree("elasticsearch", p)).orElse(es);
    }
    if (redis.pids().isEmpty() || es.pids().isEmpty()) {
      throw new IllegalStateException("Redis or Elasticsearch is not a child of the platform (pid " + pid + "): give --redis-pid and --es-pid");
    }
    out.printf("Platform JVM pid %d, Redis %s, Elasticsearch %s, generator %d%n", pid, redis.pids(), es.pids(), generator.pids().get(0));
    elastic = new Elastic(vertx, esUrl, options.indexPrefix());

    // counters above every one stored for these probes, so a repeated run against the same platform is no replay
    var firstFCnt = Math.max(FleetOptions.clockFCnt(), elastic.maxFCnt("70b3d57ed0") + 10_000);
    var fleet = new Fleet(vertx, url, ingestToken, FleetOptions.defaults().withFirstFCnt(firstFCnt));
    out.printf("Registering %,d ABP probes (Cayenne LPP)…%n", options.devices());
    await(fleet.register(options.adminUser(), adminPassword, options.devices()));
    var probes = fleet.probes();
    pushes = new LivePushes(vertx);
    await(pushes.subscribe(url, await(fleet.login(options.adminUser(), adminPassword)),
        probes.subList(0, options.latencyDevices()).stream().map(Probe::devEui).toList()));

    var jfr = options.jfr() ? work.resolve("platform.jfr") : null;
    if (jfr != null) jcmd(pid, "JFR.start", "name=vigie-bench", "settings=profile");
    var steps = new ArrayList<CapacityReport.Step>();
    for (int i = 0; i < options.steps().size(); i++) {
      steps.add(step(probes, options.steps().get(i), i == 0 ? options.firstWarmup() : options.warmup()));
    }
    if (jfr != null) {
      jcmd(pid, "JFR.stop", "name=vigie-bench", "filename=" + jfr);
      out.println("JFR profile of the platform JVM: " + jfr);
    }
    var raw = rawBulk();
    var machine = machine();
    return new CapacityReport(Instant.now().truncatedTo(ChronoUnit.MINUTES).toString(),
        "bench/e2e " + String.join(" ", options.commandLine()), machine, steps, raw, jfr == null ? null : jfr.toString());
  }

  private CapacityReport.Step step(List<Probe> probes, int rate, Duration warmup) throws Exception {
    var warm = (int) Math.ceil(rate * warmup.toMillis() / 1000.0);
    var measured = (int) (rate * options.duration().toMillis() / 1000L);
    var total = warm + measured;
    out.printf("Step %,d/s: building %,d requests (%d s warm-up, %d s measured)…%n", rate, total, warmup.toSeconds(),
        options.duration().toSeconds());
    var bodies = new Buffer[total];
    var ids = new String[total];
    var sampled = new boolean[total];
    var gateways = Gateways.of(1);
    var now = Instant.now();
    for (int i = 0; i < total; i++) {
      var device = i % probes.size();
      var frame = probes.get(device).nextFrame(now, gateways.receptions());
      bodies[i] = ChirpStackUplinks.up(frame).toBuffer();
      ids[i] = frame.id();
      sampled[i] = device < options.latencyDevices();
    }
    // the previous step's backlog first: the platform idle (nothing indexed for 3 s) before this one starts
    drain(elastic.indexed(), Long.MAX_VALUE, 3);
    var indexedBefore = elastic.indexed();
    var loop = new OpenLoop(bodies, rate);
    var start = System.nanoTime() + 100_000_000L;
    var finished = loop.run(vertx, url, PATH, ingestToken, options.lanes(), options.connections(),
        options.timeout().toMillis(), start);
    var windowStart = start + warmup.toNanos();
    var windowEnd = windowStart + options.duration().toNanos();
    sleepUntil(windowStart);
    var before = snapshot();
    var stagesBefore = stages();
    var heap = 0.0;
    while (System.nanoTime() < windowEnd) {
      heap = Math.max(heap, heapMiB());
      sleepUntil(Math.min(windowEnd, System.nanoTime() + 2 * NANOS));
    }
    var after = snapshot();
    var stages = stages().minus(stagesBefore);
    out.printf("  window done; waiting for the answers (%,d of %,d so far)…%n", loop.answered(), total);
    await(finished);

    long acceptedAll = 0;
    for (var s : loop.status) if (s / 100 == 2) acceptedAll++;
    drain(indexedBefore, acceptedAll, 10);
    elastic.refresh();

    long sent = 0;
    var refused = new TreeMap<Integer, Long>();
    var acceptedIds = new ArrayList<String>();
    var otherIds = new ArrayList<String>();
    var ack = new ArrayList<Long>();
    var toStored = new ArrayList<Long>();
    for (int i = 0; i < total; i++) {
      // what left the generator during the window, whenever it was due: the rate it really sent at
      if (loop.sentNanos[i] >= windowStart && loop.sentNanos[i] < windowEnd) sent++;
    }
    for (int i = warm; i < total; i++) {
      if (loop.status[i] / 100 == 2) {
        acceptedIds.add(ids[i]);
        ack.add(loop.ackNanos[i] - loop.dueNanos(i));
        var pushed = sampled[i] ? pushes.arrival(ids[i]) : null;
        if (pushed != null) toStored.add(Math.max(0, pushed - loop.ackNanos[i]));
      } else {
        otherIds.add(ids[i]);
        refused.merge((int) loop.status[i], 1L, Long::sum);
      }
    }
    var stored = elastic.countIds(acceptedIds);
    var storedAnyway = otherIds.isEmpty() ? 0 : elastic.countIds(otherIds);
    var indexed = Math.max(1, after.indexed - before.indexed);
    var seconds = options.duration().toNanos() / 1e9;
    var ackP = Latencies.percentiles(ack.stream().mapToLong(Long::longValue).toArray());
    var storedP = Latencies.percentiles(toStored.stream().mapToLong(Long::longValue).toArray());
    var step = new CapacityReport.Step(rate, seconds, measured, sent, acceptedIds.size(), refused, stored, storedAnyway,
        new double[] {ackP.p50(), ackP.p99()}, new double[] {storedP.p50(), storedP.p99()}, storedP.count(), indexed,
        (after.platform - before.platform) / (double) indexed, (after.redis - before.redis) / (double) indexed,
        (after.es - before.es) / (double) indexed, (after.generator - before.generator) / (double) Math.max(1, sent), heap,
        loop.maxLagNanos() / 1e6, stages.summary());
    out.printf(Locale.ROOT, "  %,d/s: sent %,.0f/s, accepted %,d, refused %,d, stored %,d, lost %,d; ack p99 %.0f ms,"
            + " accepted→stored p99 %.0f ms; core-µs per uplink: platform %.0f, Redis %.1f, ES %.0f, generator %.0f; heap %.0f MiB;"
            + " inside: %s%n",
        rate, step.sentPerSecond(), step.accepted(), step.rejected(), stored, step.lost(), ackP.p99(), storedP.p99(),
        step.platformUs(), step.redisUs(), step.esUs(), step.generatorUs(), heap, step.stages());
    return step;
  }

  /** Waits until Elasticsearch indexed {@code accepted} documents since {@code indexedBefore}, or nothing for {@code stallSeconds}. */
  private void drain(long indexedBefore, long accepted, int stallSeconds) throws InterruptedException {
    var deadline = System.nanoTime() + options.drainTimeout().toNanos();
    var last = -1L;
    var lastProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      var indexed = elastic.indexed() - indexedBefore;
      if (indexed >= accepted) return;
      if (indexed != last) {
        last = indexed;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > stallSeconds * NANOS) {
        return;
      }
      Thread.sleep(250);
    }
  }

  private record Snapshot(long platform, long redis, long es, long generator, long indexed) {}

  private Snapshot snapshot() {
    return new Snapshot(platform.micros(), redis.micros(), es.micros(), generator.micros(), elastic.indexed());
  }

  /**
   * The platform JVM's heap in use ({@code jvm_memory_used_bytes{area="heap"}} of {@code /metrics}), MiB; 0 when the
   * platform did not answer within 5 s (the next sample counts).
   */
  private double heapMiB() {
    try {
      return metrics().lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The stage histograms of the platform's {@code /metrics} now; none when it did not answer within 5 s. */
  private StageLatencies stages() {
    try {
      return StageLatencies.parse(metrics());
    } catch (RuntimeException e) {
      return StageLatencies.empty();
    }
  }

  private String metrics() {
    return await(metricsClient.getAbs(url + "/metrics").idleTimeout(5000).send()).bodyAsString();
  }

  /** Stored documents bulked raw into a scratch index with their mapping: Elasticsearch's CPU per document. */
  private CapacityReport.RawBulk rawBulk() throws Exception {
    var documents = elastic.documents(options.rawDocs());
    if (documents.isEmpty()) throw new IllegalStateException("no stored document to bulk raw");
    var scratch = "vigie-bench-raw-bulk";
    elastic.createLike(scratch, (String) documents.get(0)[0]);
    var batches = new ArrayList<Buffer>();
    for (int from = 0; from < documents.size(); from += options.bulkSize()) {
      var batch = Buffer.buffer();
      for (var doc : documents.subList(from, Math.min(documents.size(), from + options.bulkSize()))) {
        batch.appendString("{\"create\":{\"_index\":\"" + scratch + "\",\"_id\":\"" + doc[1] + "\"}}\n")
            .appendString(doc[2].toString()).appendString("\n");
      }
      batches.add(batch);
    }
    out.printf("Raw _bulk of %,d stored documents, %d per request…%n", documents.size(), options.bulkSize());
    var before = es.micros();
    // two requests in flight, as the platform's bulk writer
    var queue = new java.util.concurrent.ConcurrentLinkedQueue<>(batches);
    await(Future.all(Stream.generate(() -> next(queue)).limit(2).toList()));
    var esUs = (es.micros() - before) / (double) documents.size();
    elastic.delete(scratch);
    out.printf(Locale.ROOT, "  %.1f Elasticsearch core-µs per document%n", esUs);
    return new CapacityReport.RawBulk(documents.size(), options.bulkSize(), esUs);
  }

  private Future<Void> next(java.util.Queue<Buffer> queue) {
    var batch = queue.poll();
    return batch == null ? Future.succeededFuture() : elastic.bulk(batch).compose(v -> next(queue));
  }

  private static String machine() throws IOException {
    var model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    var memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    var load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB, %s %s; load average %s at the end", Runtime.getRuntime().availableProcessors(),
        model, memKb / 1024.0 / 1024.0, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), load);
  }

  private void jcmd(long pid, String... command) throws IOException, InterruptedException {
    var full = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
    full.addAll(List.of(command));
    var process = new ProcessBuilder(full).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    var left = nanos - System.nanoTime();
    if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (var walk = Files.walk(root)) {
      for (var path : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
  }
}
