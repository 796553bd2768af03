package io.vigie.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CSV reader")
class CsvTest {

  @Test
  @DisplayName("reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and skips blank lines")
  void quoting() {
    var records = Csv.parse("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3\n");
    assertThat(records).containsExactly(List.of("a", "b", "c"), List.of("x, y", "say \"hi\"", "two\nlines"),
        List.of("1", "", "3"));
  }

  @Test
  @DisplayName("keeps empty trailing fields and a last line without line end")
  void edges() {
    assertThat(Csv.parse("a,b,\nc,d,e")).containsExactly(List.of("a", "b", ""), List.of("c", "d", "e"));
    assertThat(Csv.parse("")).isEmpty();
    assertThat(Csv.parse("\"\"\n")).containsExactly(List.of(""));
  }

  @Test
  @DisplayName("refuses a quoted field that never ends")
  void unterminated() {
    assertThatThrownBy(() -> Csv.parse("a,\"b\n")).isInstanceOf(IllegalArgumentException.class);
  }
}
