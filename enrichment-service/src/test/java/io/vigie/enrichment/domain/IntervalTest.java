package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IntervalTest {

  private static TimeRange range(String from, String to) {
    return new TimeRange(Instant.parse(from), Instant.parse(to));
  }

  private static String at(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  @Test
  @DisplayName("minutes, hours and days are fixed intervals aligned on the epoch; weeks and months are calendar intervals")
  void kinds() {
    assertThat(Interval.parse("15m").calendar()).isFalse();
    assertThat(Interval.parse("2h").text()).isEqualTo("2h");
    assertThat(Interval.parse("1w").calendar()).isTrue();
    assertThat(Interval.parse("1M").calendar()).isTrue();
    assertThat(at(Interval.parse("15m").bucketStart(Instant.parse("2026-11-29T10:07:42Z").toEpochMilli()))).isEqualTo("2026-11-29T10:00:00Z");
    assertThat(at(Interval.parse("1d").bucketStart(Instant.parse("2026-11-29T23:59:59Z").toEpochMilli()))).isEqualTo("2026-11-29T00:00:00Z");
    assertThat(at(Interval.parse("1w").bucketStart(Instant.parse("2026-11-29T10:00:00Z").toEpochMilli()))).as("a Sunday")
        .isEqualTo("2026-11-23T00:00:00Z");
    assertThat(at(Interval.parse("1M").bucketStart(Instant.parse("2026-02-28T23:00:00Z").toEpochMilli()))).isEqualTo("2026-02-01T00:00:00Z");
  }

  @Test
  @DisplayName("the buckets cover the range, the first one starting at or before from, the last one before to")
  void buckets() {
    assertThat(Interval.parse("15m").bucketStarts(range("2026-11-29T10:07:00Z", "2026-11-29T11:00:00Z")).stream().map(IntervalTest::at))
        .containsExactly("2026-11-29T10:00:00Z", "2026-11-29T10:15:00Z", "2026-11-29T10:30:00Z", "2026-11-29T10:45:00Z");
    assertThat(Interval.parse("1M").bucketStarts(range("2026-11-15T00:00:00Z", "2027-02-01T00:00:00Z")).stream().map(IntervalTest::at))
        .containsExactly("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
    assertThat(Interval.parse("1w").count(range("2026-11-20T00:00:00Z", "2026-12-02T00:00:00Z"))).isEqualTo(3);
    assertThat(Interval.parse("1d").count(range("2026-11-29T00:00:00Z", "2026-11-29T00:00:01Z"))).isEqualTo(1);
  }

  @Test
  @DisplayName("absurd intervals and ranges needing more than 10,000 buckets are refused with the reason")
  void refused() {
    for (var absurd : new String[] {"0m", "5s", "m", "1y", "-1h", "1.5h", "", "1 h"}) {
      assertThatThrownBy(() -> Interval.parse(absurd)).as(absurd).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("interval must look like");
    }
    assertThatThrownBy(() -> Interval.parse("2w")).hasMessageContaining("only 1w and 1M");
    assertThatThrownBy(() -> Interval.parse("3M")).hasMessageContaining("only 1w and 1M");
    assertThatThrownBy(() -> Interval.parse("32d")).hasMessageContaining("longer than a month");
    assertThatThrownBy(() -> Interval.parse("1000h")).hasMessageContaining("longer than a month");
    assertThat(Interval.parse("31d").text()).isEqualTo("31d");
    var year = range("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    assertThatThrownBy(() -> Interval.parse("1m").bucketStarts(year)).hasMessageContaining("525600 buckets, more than 10000");
    assertThat(Interval.parse("1h").bucketStarts(year)).hasSize(8760);
  }
}
