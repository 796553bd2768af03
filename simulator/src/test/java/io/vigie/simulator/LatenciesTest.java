package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Latency percentiles")
class LatenciesTest {

  @Test
  @DisplayName("are nearest-rank over the window since the last line, and over the whole run for the summary")
  void percentiles() {
    var latencies = new Latencies();
    for (int ms = 100; ms >= 1; ms--) latencies.record(ms * 1_000_000L);
    var recent = latencies.sinceLast();
    assertThat(recent.count()).isEqualTo(100);
    assertThat(recent.p50()).isEqualTo(50.0);
    assertThat(recent.p95()).isEqualTo(95.0);
    assertThat(recent.p99()).isEqualTo(99.0);
    assertThat(recent.max()).isEqualTo(100.0);
    assertThat(latencies.sinceLast().count()).as("forgotten once read").isZero();
    assertThat(latencies.sinceLast().format()).isEqualTo("latency -");
    latencies.record(1_000_000_000L);
    assertThat(latencies.overall().count()).isEqualTo(101);
    assertThat(latencies.overall().max()).isEqualTo(1000.0);
    assertThat(recent.format()).isEqualTo("latency p50 50 p95 95 p99 99 ms");
  }
}
