package io.vigie.gateway.fuzz;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The figures of one adapter's fuzz run: answers counted by kind, the latency of every timed input, the heap after
 * a GC before and after, and the first failures (with the input's number, to replay with the seed). Written to
 * {@code target/fuzz/<adapter>.json} and printed.
 */
final class FuzzRun {
  /** Inputs per adapter: {@code -Dvigie.fuzz.inputs}; the default keeps the five runs of the suite under a minute. */
  static final int INPUTS = Integer.getInteger("vigie.fuzz.inputs", 300);
  private static final long MIB = 1024 * 1024;

  final String adapter;
  final long seed;
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger ignored = new AtomicInteger();
  final AtomicInteger refused4xx = new AtomicInteger();
  final AtomicInteger errors5xx = new AtomicInteger();
  final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final long[] latencies;
  private int timed;
  private final long startHeap;
  private final long startNanos = System.nanoTime();

  FuzzRun(String adapter) {
    this.adapter = adapter;
    this.seed = Long.getLong("vigie.fuzz.seed", System.currentTimeMillis());
    this.latencies = new long[INPUTS + 1];
    System.out.printf("edge fuzz %s: %d inputs, seed %d (replay: -Dvigie.fuzz.seed=%d)%n", adapter, INPUTS, seed, seed);
    this.startHeap = usedHeapAfterGc();
    try {
      if (Files.isDirectory(failuresDir())) {
        try (var old = Files.list(failuresDir())) {
          for (var file : old.toList()) Files.delete(file);
        }
        Files.delete(failuresDir());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints a line at every tenth of a long run. */
  void progress(int input) {
    if (INPUTS >= 10_000 && input % (INPUTS / 10) == 0 && input > 0) {
      System.out.printf("edge fuzz %s: %d inputs sent in %.0f s%n", adapter, input, (System.nanoTime() - startNanos) / 1e9);
    }
  }

  synchronized void latency(long nanos) {
    if (timed < latencies.length) latencies[timed++] = nanos;
  }

  /** Records a failure (the first 20 are kept in full) and keeps the input under {@code target/fuzz/<adapter>-failures/}. */
  void fail(int input, String what, byte[] body) {
    if (failures.size() >= 20) return;
    failures.add("input " + input + " (seed " + seed + "): " + what);
    try {
      Files.write(Files.createDirectories(failuresDir()).resolve("input-" + input + ".bin"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path failuresDir() {
    return Path.of("target", "fuzz", adapter + "-failures");
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** The summary, after a GC; written to {@code target/fuzz/<adapter>.json} and printed. */
  synchronized JsonObject finish() {
    var sorted = Arrays.copyOf(latencies, timed);
    Arrays.sort(sorted);
    var summary = new JsonObject().put("adapter", adapter).put("inputs", INPUTS).put("accepted", accepted.get())
        .put("ignored", ignored.get()).put("refused4xx", refused4xx.get()).put("errors5xx", errors5xx.get())
        .put("timed", timed)
        .put("maxLatencyMs", timed == 0 ? 0 : sorted[timed - 1] / 1e6)
        .put("p99LatencyMs", timed == 0 ? 0 : sorted[Math.min(timed - 1, (int) Math.ceil(timed * 0.99) - 1)] / 1e6)
        .put("heapGrowthMiB", (double) (usedHeapAfterGc() - startHeap) / MIB)
        .put("durationS", (System.nanoTime() - startNanos) / 1e9)
        .put("seed", seed);
    try {
      var dir = Files.createDirectories(Path.of("target", "fuzz"));
      Files.writeString(dir.resolve(adapter + ".json"), summary.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("edge fuzz summary " + summary.encode());
    return summary;
  }

  static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
