package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
  private final IndexNames names = new IndexNames("vigie-measurements");

  @Test
  @DisplayName("a measurement goes to its tenant's index of the UTC month it was received in")
  void monthlyIndexPerTenant() {
    assertThat(names.index("acme", Instant.parse("2026-11-29T10:15:02.123Z"))).isEqualTo("vigie-measurements-acme-2026.11");
    assertThat(names.index("acme", Instant.parse("2026-11-30T23:59:59.999Z"))).isEqualTo("vigie-measurements-acme-2026.11");
    assertThat(names.index("acme", Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo("vigie-measurements-acme-2026.12");
    assertThat(names.index("acme", Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("vigie-measurements-acme-2027.01");
    assertThat(names.index("acme", Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo("vigie-measurements-acme-1969.12");
    assertThat(names.alias("acme")).isEqualTo("vigie-measurements-acme");
  }

  @Test
  @DisplayName("the template is named after the prefix and matches every index of the prefix")
  void template() {
    assertThat(names.template()).isEqualTo("vigie-measurements");
    assertThat(names.pattern()).isEqualTo("vigie-measurements-*");
  }

  @Test
  @DisplayName("a tenant id that an index name cannot hold is lower-cased and its odd characters replaced")
  void tenantsAreMadeSafeForIndexNames() {
    assertThat(names.alias("ACME Corp/EU")).isEqualTo("vigie-measurements-acme_corp_eu");
    assertThat(names.alias("acme-eu_2")).isEqualTo("vigie-measurements-acme-eu_2");
    assertThatThrownBy(() -> names.alias(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
