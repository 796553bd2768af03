package io.vigie.simulator.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code bench/e2e} measured, as the Markdown section it writes into {@code bench/RESULTS.md}: one row per step,
 * the raw bulk line, the targets met or missed, the command and the machine.
 */
public record CapacityReport(String date, String command, String machine, List<Step> steps, RawBulk rawBulk, String jfr) {
  public static final String SECTION = "## End-to-end capacity (bench/e2e)";

  /**
   * One measured step: the counts are of the uplinks due in its window; the CPU figures are the window's CPU time over
   * the uplinks Elasticsearch indexed in that window (the generator's: over the uplinks it sent in it).
   *
   * @param sent requests that left the generator (got a connection) during the window, whenever they were due
   * @param refused requests not accepted, by HTTP status (0: no answer)
   * @param storedAnyway not accepted, and stored all the same
   * @param ack due → 2xx, ms (p50, p99)
   * @param toStored the 2xx → pushed to a live client, ms (p50, p99; 0 when the push came before the 2xx)
   * @param maxLagMs how late the generator dispatched a request, at worst
   * @param stages where the time went inside the platform ({@link StageLatencies#summary()}), empty when unknown
   */
  public record Step(int rate, double seconds, long due, long sent, long accepted, Map<Integer, Long> refused,
                     long stored, long storedAnyway, double[] ack, double[] toStored, long latencySamples, long indexed,
                     double platformUs, double redisUs, double esUs, double generatorUs, double heapMiB, double maxLagMs,
                     String stages) {
    public double sentPerSecond() {
      return sent / seconds;
    }

    public long rejected() {
      return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    public long lost() {
      return accepted - stored;
    }

    /** Sent at (nearly) the target rate, every uplink accepted and stored. */
    public boolean kept() {
      return sentPerSecond() >= 0.99 * rate && rejected() == 0 && lost() == 0;
    }

    String notes() {
      var notes = new ArrayList<String>();
      if (maxLagMs > 100) notes.add(String.format(Locale.ROOT, "generator behind its schedule by up to %.0f ms", maxLagMs));
      if (sentPerSecond() < 0.99 * rate) notes.add("requests waited for a connection: answers slower than the rate");
      if (storedAnyway > 0) notes.add(storedAnyway + " not accepted yet stored");
      if (lost() > 0) notes.add(lost() + " lost");
      return notes.isEmpty() ? (kept() ? "kept" : "") : String.join("; ", notes);
    }
  }

  /** Documents bulked raw into a scratch index with the measurements' mapping. */
  public record RawBulk(long documents, int bulkSize, double esUs) {}

  /** The step the per-uplink costs are judged at: the fastest one kept, else the last. */
  public Step reference() {
    return steps.stream().filter(Step::kept).max(Comparator.comparingInt(Step::rate)).orElse(steps.get(steps.size() - 1));
  }

  public String markdown() {
    var md = new StringBuilder(SECTION).append("\n\n");
    md.append("Measured on ").append(date).append(" on ").append(machine).append(".\n");
    md.append("Command: `").append(command).append("`.\n\n");
    md.append("| step (uplinks/s) | sent/s | accepted | refused | stored | lost | ack p50 / p99 ms | accepted→stored p50 / p99 ms"
        + " | platform µs | Redis µs | ES µs | generator µs | heap MiB | inside the platform: mean / p99 ms | notes |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var s : steps) {
      md.append(String.format(Locale.ROOT, "| %,d | %,.0f | %,d | %s | %,d | %,d | %.0f / %.0f | %.0f / %.0f (%,d) | %.0f | %.1f | %.0f | %.0f | %.0f | %s | %s |%n",
          s.rate, s.sentPerSecond(), s.accepted, refused(s), s.stored, s.lost(), s.ack[0], s.ack[1], s.toStored[0], s.toStored[1],
          s.latencySamples, s.platformUs, s.redisUs, s.esUs, s.generatorUs, s.heapMiB, s.stages, s.notes()));
    }
    var ref = reference();
    var ratio = ref.esUs / rawBulk.esUs;
    md.append(String.format(Locale.ROOT, "%nRaw `_bulk` of %,d stored documents into a scratch index with the same mapping, %d per"
        + " request: **%.1f Elasticsearch core-µs per document**; the platform's Elasticsearch cost at %,d/s is %.2f× that.%n",
        rawBulk.documents, rawBulk.bulkSize, rawBulk.esUs, ref.rate, ratio));
    if (jfr != null) md.append("JFR profile of the platform JVM during the steps: `").append(jfr).append("`.\n");
    md.append("\n| target (the issue) | measured | |\n|---|---|---|\n");
    target(md, "platform JVM ≤ 60 core-µs per uplink", String.format(Locale.ROOT, "%.0f at %,d/s", ref.platformUs, ref.rate), ref.platformUs <= 60);
    target(md, "Redis ≤ 10 core-µs per uplink", String.format(Locale.ROOT, "%.1f at %,d/s", ref.redisUs, ref.rate), ref.redisUs <= 10);
    target(md, "Elasticsearch ≤ 1.3 × raw bulk", String.format(Locale.ROOT, "%.2f× at %,d/s", ratio, ref.rate), ratio <= 1.3);
    var sustained = steps.stream().filter(Step::kept).mapToInt(Step::rate).max().orElse(0);
    target(md, "sustained ≥ 8,000 uplinks/s, zero loss", sustained == 0 ? "no step kept" : String.format(Locale.ROOT, "%,d/s kept", sustained),
        sustained >= 8000);
    var half = steps.stream().min(Comparator.comparingInt(s -> Math.abs(s.rate - 4000))).orElseThrow();
    target(md, "p99 accepted → stored ≤ 250 ms at 4,000/s", String.format(Locale.ROOT, "%.0f ms at %,d/s", half.toStored()[1], half.rate),
        half.rate >= 4000 && half.toStored()[1] <= 250 && half.kept());
    var heap = steps.stream().mapToDouble(Step::heapMiB).max().orElse(0);
    target(md, "platform heap ≤ 512 MiB", String.format(Locale.ROOT, "%.0f MiB at most", heap), heap <= 512);
    md.append("""

        Counts are of the uplinks due in each step's measured window (after its warm-up), once the pipeline drained.
        *accepted*: 2xx; *refused*: by status (0: no answer); *stored*: accepted ids found in Elasticsearch; *lost*:
        accepted − stored. *ack*: due → 2xx (open loop: queueing for a connection counts). *accepted→stored*: the 2xx →
        the measurement pushed on `/eventbus` to a client subscribed to a sample of the devices (count in brackets); 0
        when the push comes first, as when the platform acknowledges only once stored. CPU: `/proc/<pid>/stat`
        utime + stime over the window, per uplink Elasticsearch indexed in it (generator: per uplink sent).
        *Inside the platform*: from its `/metrics` over the window, the mean and the histogram bucket bound under which
        99 % fall, of an uplink's wait in the ingest log (appended → taken by its partition's consumer), of a batch
        (sent → decoded, stored, evaluated, removed from the log) and of an Elasticsearch bulk request.
        """);
    return md.toString();
  }

  private static String refused(Step s) {
    if (s.refused.isEmpty()) return "0";
    return s.refused.entrySet().stream().map(e -> String.format(Locale.ROOT, "%,d × %s", e.getValue(), e.getKey() == 0 ? "no answer" : e.getKey()))
        .collect(Collectors.joining(", "));
  }

  private static void target(StringBuilder md, String target, String measured, boolean met) {
    md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "met" : "**missed**").append(" |\n");
  }

  /**
   * Replaces the section's report in {@code file} (before {@code ## Earlier numbers} when it is new), up to its first
   * subsection: the dated readings written under it ({@code ### …}) stay.
   */
  public void writeInto(Path file) throws IOException {
    var text = Files.exists(file) ? Files.readString(file) : "# Benchmark results\n";
    var section = markdown();
    var start = text.indexOf(SECTION);
    if (start >= 0) {
      var nextSection = text.indexOf("\n## ", start + SECTION.length());
      var subsection = text.indexOf("\n### ", start + SECTION.length());
      var end = subsection >= 0 && (nextSection < 0 || subsection < nextSection) ? subsection : nextSection;
      text = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end));
    } else {
      var earlier = text.indexOf("## Earlier numbers");
      text = earlier < 0 ? text.stripTrailing() + "\n\n" + section : text.substring(0, earlier) + section + "\n" + text.substring(earlier);
    }
    Files.writeString(file, text);
  }
}
