package io.vigie.enrichment.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.enrichment.store.HistoryStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CsvExportTest {

  @Test
  @DisplayName("rows are RFC 4180: quoted when needed, numbers in plain decimal, formulas defused, channel last or empty")
  void rows() {
    var page = new HistoryStore.Page(List.of(
        new HistoryStore.Point(Instant.parse("2026-11-29T10:15:02.123Z"), "temperature", "Cel", 4.25, 2),
        new HistoryStore.Point(Instant.parse("2026-11-29T10:20:00Z"), "a,b \"c\"", "=1+1", 1.0E-7, null),
        new HistoryStore.Point(Instant.parse("2026-11-29T10:25:00Z"), "count", null, 12.0, null)), null);

    assertThat(CsvExport.rows(page)).isEqualTo("2026-11-29T10:15:02.123Z,temperature,Cel,4.25,2\r\n"
        + "2026-11-29T10:20:00Z,\"a,b \"\"c\"\"\",'=1+1,0.0000001,\r\n"
        + "2026-11-29T10:25:00Z,count,,12,\r\n");
  }
}
