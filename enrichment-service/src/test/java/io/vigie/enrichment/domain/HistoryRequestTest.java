package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HistoryRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static HistoryRequest parse(Map<String, String> parameters, boolean csv) {
    return HistoryRequest.parse(parameters::get, csv, NOW);
  }

  @Test
  @DisplayName("defaults: the last 24 hours, 1,000 points a page, avg, min and max per bucket")
  void defaults() {
    var raw = parse(Map.of("name", "temperature"), false);
    assertThat(raw.range()).isEqualTo(new TimeRange(Instant.parse("2026-11-28T12:00:00Z"), NOW));
    assertThat(raw.limit()).isEqualTo(1000);
    assertThat(raw.interval()).isNull();
    assertThat(raw.cursor()).isNull();
    var buckets = parse(Map.of("name", "temperature", "interval", "15m"), false);
    assertThat(buckets.aggs()).containsExactly("avg", "min", "max");
    assertThat(parse(Map.of("name", "temperature", "interval", "1h", "agg", "max,count"), false).aggs()).containsExactly("max");
    assertThat(parse(Map.of(), true).name()).as("a CSV of every measurement").isNull();
  }

  @Test
  @DisplayName("times are RFC 3339 with any offset (a '+' decoded as a space included) or dates at midnight UTC")
  void times() {
    var request = parse(Map.of("name", "t", "from", "2026-11-29T11:00:00 01:00", "to", "2026-11-30"), false);
    assertThat(request.range().from()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
    assertThat(request.range().to()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    assertThat(parse(Map.of("name", "t", "from", "2026-11-29T11:00:00.250Z"), false).range().from())
        .isEqualTo(Instant.parse("2026-11-29T11:00:00.250Z"));
  }

  @Test
  @DisplayName("each bad parameter is refused with what to fix")
  void refused() {
    Map<Map<String, String>, String> cases = Map.of(
        Map.of(), "name is required",
        Map.of("name", "tem perature"), "name must be",
        Map.of("name", "t", "from", "2026-11-30", "to", "2026-11-29"), "must be before",
        Map.of("name", "t", "from", "2026-11-29", "to", "2026-11-29"), "must be before",
        Map.of("name", "t", "to", "29/11/2026"), "to must be an RFC 3339 time",
        Map.of("name", "t", "limit", "ten"), "limit must be",
        Map.of("name", "t", "agg", "avg"), "agg needs an interval",
        Map.of("name", "t", "interval", "1h", "agg", "avg,p99"), "agg must list",
        Map.of("name", "t", "cursor", "%%%"), "cursor is not one this API gave");
    cases.forEach((parameters, reason) -> assertThatThrownBy(() -> parse(parameters, false)).as(parameters.toString())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason));
    assertThatThrownBy(() -> parse(Map.of("interval", "1h"), true)).hasMessageContaining("CSV export gives raw points");
  }

  @Test
  @DisplayName("a cursor is opaque base64url that comes back as it went")
  void cursor() {
    var cursor = new PageCursor(1_796_000_000_000L, "70b3d57ed005a1b2-0000002a");
    assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(parse(Map.of("name", "t", "cursor", cursor.encode()), false).cursor()).isEqualTo(cursor);
  }
}
