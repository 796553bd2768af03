package io.vigie.enrichment.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The {@code [from, to)} window of a history query, from RFC 3339 times ({@code 2026-11-29T10:15:02Z},
 * {@code 2026-11-29T11:15:02+01:00}) or dates ({@code 2026-11-29}, midnight UTC). {@code to} defaults to now,
 * {@code from} to 24 hours before {@code to}.
 */
public record TimeRange(Instant from, Instant to) {
  public static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  public TimeRange {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
  }

  public static TimeRange parse(String from, String to, Instant now) {
    var end = blank(to) ? now : time("to", to);
    var start = blank(from) ? end.minus(DEFAULT_SPAN) : time("from", from);
    return new TimeRange(start, end);
  }

  /** An RFC 3339 time or a date; a '+' of an offset that arrived as a space (unencoded URL) is put back. */
  public static Instant time(String parameter, String raw) {
    var text = raw.trim().replace(' ', '+');
    try {
      if (text.length() == 10) return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(parameter + " must be an RFC 3339 time such as 2026-11-29T10:15:00Z, got '" + raw + "'");
    }
  }

  public long fromMillis() {
    return from.toEpochMilli();
  }

  public long toMillis() {
    return to.toEpochMilli();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
