package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetentionPlanTest {
  private static final IndexNames NAMES = new IndexNames("vigie-measurements");
  private static final List<String> INDICES = List.of("vigie-measurements-acme-2025.10", "vigie-measurements-acme-2025.11",
      "vigie-measurements-acme-2026.11", "vigie-measurements-globex-2019.01", "vigie-measurements-acme",
      "vigie-measurements-acme-archive", "vigie-measurements-acme-2019.13", "other-acme-2019.01");

  @Test
  @DisplayName("an index goes once its whole month is more than the retention old: at least that many months are always kept")
  void expired() {
    var now = Instant.parse("2026-11-29T10:00:00Z");
    assertThat(RetentionPlan.expired(INDICES, NAMES, 12, now))
        .containsExactly("vigie-measurements-acme-2025.10", "vigie-measurements-globex-2019.01");
    assertThat(RetentionPlan.expired(INDICES, NAMES, 12, Instant.parse("2026-12-01T00:00:00Z")))
        .contains("vigie-measurements-acme-2025.11");
  }

  @Test
  @DisplayName("0 keeps everything, and names that are not monthly indices of the prefix are never deleted")
  void keeps() {
    var now = Instant.parse("2026-11-29T10:00:00Z");
    assertThat(RetentionPlan.expired(INDICES, NAMES, 0, now)).isEmpty();
    assertThat(RetentionPlan.expired(INDICES, NAMES, 1, now)).doesNotContain("vigie-measurements-acme",
        "vigie-measurements-acme-archive", "vigie-measurements-acme-2019.13", "other-acme-2019.01", "vigie-measurements-acme-2026.11");
    assertThat(NAMES.month("vigie-measurements-acme-eu_2-2026.11")).contains(YearMonth.of(2026, 11));
  }
}
