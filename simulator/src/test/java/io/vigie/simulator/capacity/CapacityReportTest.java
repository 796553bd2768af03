package io.vigie.simulator.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("bench/e2e's command line and report")
class CapacityReportTest {
  @TempDir Path folder;

  static CapacityReport.Step step(int rate, long sent, long accepted, long stored, double platformUs, double p99) {
    return new CapacityReport.Step(rate, 10, rate * 10L, sent, accepted, accepted == rate * 10L ? Map.of() : Map.of(503, rate * 10L - accepted),
        stored, 0, new double[] {5, 20}, new double[] {30, p99}, 100, stored, platformUs, 8, 40, 12, 300, 3,
        "log wait 12 / ≤ 50 · batch 80 / ≤ 250 · bulk 30 / ≤ 100");
  }

  static CapacityReport report(List<CapacityReport.Step> steps) {
    return new CapacityReport("2026-12-05T22:00Z", "bench/e2e", "2 cores", steps, new CapacityReport.RawBulk(20_000, 500, 35), null);
  }

  @Test
  @DisplayName("a full run by default: five steps of 30 s over 2,000 devices; --quick: two steps of 10 s over 200")
  void defaults() {
    var embedded = new String[] {"--platform-classpath", "cp", "--es-home", "es"};
    var full = CapacityOptions.parse(embedded, Map.of());
    assertThat(full.steps()).containsExactly(500, 1000, 2000, 4000, 8000);
    assertThat(full.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(full.firstWarmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(full.devices()).isEqualTo(2000);
    var quick = CapacityOptions.parse(new String[] {"--quick", "--platform-classpath", "cp", "--es-home", "es"}, Map.of());
    assertThat(quick.steps()).containsExactly(200, 400);
    assertThat(quick.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(quick.devices()).isEqualTo(200);
    assertThat(quick.commandLine()).containsExactly("--quick");
  }

  @Test
  @DisplayName("against a running platform it needs its secrets and Elasticsearch, and never shows the secrets")
  void runningPlatform() {
    assertThatThrownBy(() -> CapacityOptions.parse(new String[] {"--url", "http://h:8080"}, Map.of()))
        .hasMessageContaining("--admin-password");
    var options = CapacityOptions.parse(new String[] {"--url", "http://h:8080/", "--admin-password", "secret-1",
        "--ingest-token", "secret-2", "--es-url", "http://h:9200", "--steps", "100,200", "--duration", "5s"}, Map.of());
    assertThat(options.url()).isEqualTo("http://h:8080");
    assertThat(options.steps()).containsExactly(100, 200);
    assertThat(String.join(" ", options.commandLine())).doesNotContain("secret-1", "secret-2").contains("--admin-password …");
  }

  @Test
  @DisplayName("judges the per-uplink costs at the fastest step kept, and says which targets are met")
  void targets() {
    var report = report(List.of(step(4000, 40_000, 40_000, 40_000, 50, 120), step(8000, 80_000, 80_000, 80_000, 45, 300)));
    assertThat(report.reference().rate()).isEqualTo(8000);
    assertThat(report.markdown())
        .contains("| platform JVM ≤ 60 core-µs per uplink | 45 at 8,000/s | met |")
        .contains("| sustained ≥ 8,000 uplinks/s, zero loss | 8,000/s kept | met |")
        .contains("| p99 accepted → stored ≤ 250 ms at 4,000/s | 120 ms at 4,000/s | met |")
        .contains("| Elasticsearch ≤ 1.3 × raw bulk | 1.14× at 8,000/s | met |")
        .contains("| platform heap ≤ 512 MiB | 300 MiB at most | met |");
    var lossy = report(List.of(step(4000, 40_000, 40_000, 40_000, 50, 120), step(8000, 70_000, 75_000, 74_990, 45, 300)));
    assertThat(lossy.reference().rate()).isEqualTo(4000);
    var slower = report(List.of(step(3000, 30_000, 30_000, 30_000, 50, 120)));
    assertThat(slower.markdown()).as("a fast answer at a lower rate does not meet the 4,000/s target")
        .contains("| p99 accepted → stored ≤ 250 ms at 4,000/s | 120 ms at 3,000/s | **missed** |");
    assertThat(lossy.markdown()).contains("| sustained ≥ 8,000 uplinks/s, zero loss | 4,000/s kept | **missed** |")
        .contains("5,000 × 503").contains("10 lost");
  }

  @Test
  @DisplayName("replaces its own report in RESULTS.md, new ones going before the earlier numbers; the readings written under it stay")
  void results() throws Exception {
    var file = folder.resolve("RESULTS.md");
    Files.writeString(file, "# Benchmark results\n\nJMH.\n\n## Earlier numbers\nOld.\n");
    report(List.of(step(500, 5000, 5000, 5000, 70, 100))).writeInto(file);
    Files.writeString(file, Files.readString(file).replace("\n## Earlier numbers", "\n### Reading the 500/s run\nSlow.\n\n## Earlier numbers"));
    report(List.of(step(1000, 10_000, 10_000, 10_000, 70, 100))).writeInto(file);
    var text = Files.readString(file);
    assertThat(text).contains("JMH.", "| 1,000 |", "## Earlier numbers\nOld.", "### Reading the 500/s run\nSlow.")
        .doesNotContain("| 500 |");
    assertThat(text.indexOf("| 1,000 |")).isLessThan(text.indexOf("### Reading the 500/s run"));
    assertThat(text.indexOf(CapacityReport.SECTION)).isEqualTo(text.lastIndexOf(CapacityReport.SECTION))
        .isLessThan(text.indexOf("## Earlier numbers"));
  }
}
