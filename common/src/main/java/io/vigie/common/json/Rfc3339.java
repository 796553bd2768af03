package io.vigie.common.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The usual shape of an RFC 3339 time — {@code 2026-11-29T09:34:15.775Z}, {@code …15+01:00}, up to nanoseconds — read
 * without {@code DateTimeFormatter} (which costs microseconds per call: every uplink carries a few of these). Only
 * that plain shape is read here; for anything else {@link #fast} answers null and the caller's own parser decides (so
 * what is accepted and refused, and the message, stay that parser's).
 */
public final class Rfc3339 {
  private Rfc3339() {}

  /** What {@link Instant#parse} gives, the usual shape read by {@link #fast}. */
  public static Instant parse(String text) {
    var fast = text == null ? null : fast(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /**
   * The instant, or null when the text is not {@code yyyy-MM-ddTHH:mm:ss[.f…f](Z|±HH:MM)} with plainly valid fields
   * (then parse it the usual way).
   */
  public static Instant fast(String text) {
    int n = text.length();
    if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) return null;
    int at = 19;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < n && at - start < 9 && isDigit(text.charAt(at))) nanos = nanos * 10 + (text.charAt(at++) - '0');
      if (at == start || (at < n && isDigit(text.charAt(at)))) return null;
      for (int k = at - start; k < 9; k++) nanos *= 10;
    }
    if (at >= n) return null;
    int offset;
    char sign = text.charAt(at);
    if (sign == 'Z' && at + 1 == n) {
      offset = 0;
    } else if ((sign == '+' || sign == '-') && at + 6 == n && text.charAt(at + 3) == ':') {
      int hours = digits(text, at + 1, 2), minutes = digits(text, at + 4, 2);
      if (hours < 0 || minutes < 0 || hours > 17 || minutes > 59) return null;
      offset = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.ofTotalSeconds(offset));
    } catch (DateTimeException e) {
      return null; // February 30th and the like: the caller's parser says why
    }
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
