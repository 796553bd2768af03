package io.vigie.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3339 times read without DateTimeFormatter")
class Rfc3339Test {

  private static Instant full(String text) {
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  @Test
  @DisplayName("the times network servers send (Z or an offset, no fraction up to nanoseconds) read as the ISO parser reads them")
  void sameAsIsoParser() {
    for (var text : List.of("2026-11-29T09:34:15Z", "2026-11-29T09:34:15.775Z", "2026-11-29T09:34:15.1+00:00",
        "2026-11-29T09:34:15.123456789Z", "2026-11-29T10:34:15.775+01:00", "2026-11-29T04:04:15.775-05:30",
        "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00Z", "2026-12-31T23:59:59.5+14:00")) {
      assertThat(Rfc3339.fast(text)).as(text).isEqualTo(full(text));
    }
  }

  @Test
  @DisplayName("10,000 random instants written by Instant.toString read back exactly")
  void roundTrip() {
    var random = ThreadLocalRandom.current();
    for (int i = 0; i < 10_000; i++) {
      var instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      assertThat(Rfc3339.fast(instant.toString())).isEqualTo(instant);
    }
  }

  @Test
  @DisplayName("any other shape, or an impossible date, is left to the caller's parser (null)")
  void othersLeftToTheParser() {
    for (var text : List.of("", "2026-11-29", "2026-11-29 09:34:15Z", "2026-11-29t09:34:15z", "2026-02-30T09:34:15Z",
        "2026-13-01T09:34:15Z", "2026-11-29T24:00:00Z", "2026-11-29T09:34:60Z", "2026-11-29T09:34:15.Z",
        "2026-11-29T09:34:15.1234567891Z", "2026-11-29T09:34:15+0100", "2026-11-29T09:34:15", "+12026-11-29T09:34:15Z",
        "2026-11-29T09:34:15Zjunk", "2026-1a-29T09:34:15Z")) {
      assertThat(Rfc3339.fast(text)).as(text).isNull();
    }
  }
}
