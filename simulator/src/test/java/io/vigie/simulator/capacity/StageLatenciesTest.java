package io.vigie.simulator.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("bench/e2e's reading of where the time went inside the platform")
class StageLatenciesTest {
  /** As the platform's /metrics writes them (Micrometer's Prometheus format, SLO buckets), two label sets for the wait. */
  private static String metrics(int fast, int slow, double sum) {
    return """
        # HELP vigie_gateway_ingest_wait_seconds How long uplinks waited in the ingest log
        # TYPE vigie_gateway_ingest_wait_seconds histogram
        vigie_gateway_ingest_wait_seconds_bucket{instance="a",le="0.005"} %1$d.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="a",le="0.05"} %1$d.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="a",le="0.25"} %3$d.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="a",le="+Inf"} %3$d.0
        vigie_gateway_ingest_wait_seconds_count{instance="a"} %3$d.0
        vigie_gateway_ingest_wait_seconds_sum{instance="a"} %4$s
        vigie_gateway_ingest_wait_seconds_bucket{instance="b",le="0.005"} 0.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="b",le="0.05"} 0.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="b",le="0.25"} 0.0
        vigie_gateway_ingest_wait_seconds_bucket{instance="b",le="+Inf"} 0.0
        vigie_gateway_ingest_wait_seconds_count{instance="b"} 0.0
        vigie_gateway_ingest_wait_seconds_sum{instance="b"} 0.0
        vigie_gateway_ingest_wait_seconds_max{instance="a"} 0.2
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
        """.formatted(fast, slow, fast + slow, Double.toString(sum));
  }

  @Test
  @DisplayName("over a window: the mean of the waits in it, and the bucket bound 99 % of them fall under; a stage with nothing measured is left out")
  void window() {
    var before = StageLatencies.parse(metrics(100, 0, 0.3));
    var after = StageLatencies.parse(metrics(1090, 10, 1.3));

    var window = after.minus(before);

    var wait = window.histograms().get("vigie_gateway_ingest_wait_seconds");
    assertThat(wait.count()).isEqualTo(1000);
    assertThat(wait.meanMs()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(wait.p99BoundMs()).as("990 of 1,000 within 5 ms").isEqualTo(5);
    assertThat(window.summary()).isEqualTo("log wait 1 / ≤ 5");
    var slower = StageLatencies.parse(metrics(1080, 20, 1.3)).minus(before);
    assertThat(slower.summary()).isEqualTo("log wait 1 / ≤ 250");
    assertThat(StageLatencies.empty().summary()).isEmpty();
  }
}
