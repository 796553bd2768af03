package io.vigie.enrichment.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("How long the bulk writer lets documents gather")
class LingerTest {
  private static final long MS = 1_000_000;

  @Test
  @DisplayName("before any answer, nothing waits; while Elasticsearch answers in 5 ms, documents gather for 10 ms")
  void shortWhileElasticsearchIsQuick() {
    var linger = new Linger(40);
    assertThat(linger.nanos()).isZero();
    for (int i = 0; i < 20; i++) linger.answered(5 * MS);
    assertThat(linger.nanos()).isEqualTo(10 * MS);
  }

  @Test
  @DisplayName("as answers slow down under load the linger grows, up to elasticsearch.bulk.maxDelay, and shrinks again after")
  void growsUnderLoad() {
    var linger = new Linger(40);
    for (int i = 0; i < 20; i++) linger.answered(5 * MS);
    linger.answered(30 * MS);
    assertThat(linger.nanos()).as("one slow answer moves it part of the way").isBetween(10 * MS, 40 * MS);
    for (int i = 0; i < 20; i++) linger.answered(60 * MS);
    assertThat(linger.nanos()).isEqualTo(40 * MS);
    for (int i = 0; i < 40; i++) linger.answered(4 * MS);
    assertThat(linger.nanos()).isBetween(8 * MS, 9 * MS);
  }

  @Test
  @DisplayName("maxDelay 0 sends every batch as soon as a request may go")
  void none() {
    var linger = new Linger(0);
    linger.answered(50 * MS);
    assertThat(linger.nanos()).isZero();
  }
}
