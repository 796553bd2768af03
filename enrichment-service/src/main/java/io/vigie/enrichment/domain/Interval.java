package io.vigie.enrichment.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A bucket width of the aggregated history: {@code <n>m}, {@code <n>h}, {@code <n>d} (fixed, from one minute to
 * 31 days, aligned on multiples of the width since the epoch, so {@code 1d} buckets start at midnight UTC), or the
 * calendar intervals {@code 1w} (weeks from Monday 00:00 UTC) and {@code 1M} (months from the 1st, 00:00 UTC).
 */
public record Interval(int amount, char unit) {
  /** More buckets than this in one answer is refused (400). */
  public static final int MAX_BUCKETS = 10_000;
  private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,6})([mhdwM])");
  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final long WEEK = 7 * DAY;
  /** 1970-01-05, the first Monday after the epoch. */
  private static final long FIRST_MONDAY = 4 * DAY;

  public static Interval parse(String raw) {
    var matcher = FORMAT.matcher(raw == null ? "" : raw.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("interval must look like 1m, 15m, 1h, 1d, 1w or 1M (minutes, hours, days, "
          + "one week, one month), got '" + raw + "'");
    }
    var interval = new Interval(Integer.parseInt(matcher.group(1)), matcher.group(2).charAt(0));
    if (interval.calendar() && interval.amount != 1) {
      throw new IllegalArgumentException("weeks and months are calendar intervals: only 1w and 1M, got '" + raw + "'");
    }
    if (!interval.calendar() && interval.fixedMillis() > 31 * DAY) {
      throw new IllegalArgumentException("interval " + raw + " is longer than a month: use 1M");
    }
    return interval;
  }

  /** Weeks and months vary in length: Elasticsearch's {@code calendar_interval}; the rest {@code fixed_interval}. */
  public boolean calendar() {
    return unit == 'w' || unit == 'M';
  }

  /** How Elasticsearch writes it ({@code 15m}, {@code 1M}). */
  public String text() {
    return amount + String.valueOf(unit);
  }

  long fixedMillis() {
    return switch (unit) {
      case 'm' -> amount * MINUTE;
      case 'h' -> amount * 60 * MINUTE;
      case 'd' -> amount * DAY;
      case 'w' -> WEEK;
      default -> throw new IllegalStateException("a month has no fixed length");
    };
  }

  /** The start of the bucket holding {@code t}. */
  public long bucketStart(long t) {
    if (unit == 'M') {
      return YearMonth.from(Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC)).atDay(1).atStartOfDay()
          .toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    long offset = unit == 'w' ? FIRST_MONDAY : 0;
    long width = fixedMillis();
    return Math.floorDiv(t - offset, width) * width + offset;
  }

  /** How many buckets cover {@code [from, to)}, empty ones included. */
  public long count(TimeRange range) {
    long first = bucketStart(range.fromMillis());
    long last = bucketStart(range.toMillis() - 1);
    if (unit == 'M') {
      var a = YearMonth.from(Instant.ofEpochMilli(first).atOffset(ZoneOffset.UTC));
      var b = YearMonth.from(Instant.ofEpochMilli(last).atOffset(ZoneOffset.UTC));
      return (b.getYear() - a.getYear()) * 12L + b.getMonthValue() - a.getMonthValue() + 1;
    }
    return (last - first) / fixedMillis() + 1;
  }

  /** The start of every bucket covering {@code [from, to)}; refuses more than {@link #MAX_BUCKETS}. */
  public List<Long> bucketStarts(TimeRange range) {
    var count = count(range);
    if (count > MAX_BUCKETS) {
      throw new IllegalArgumentException("interval " + text() + " from " + range.from() + " to " + range.to() + " makes "
          + count + " buckets, more than " + MAX_BUCKETS + ": choose a wider interval or a shorter range");
    }
    var starts = new ArrayList<Long>((int) count);
    long start = bucketStart(range.fromMillis());
    for (int i = 0; i < count; i++) {
      starts.add(start);
      start = unit == 'M'
          ? Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli()
          : start + fixedMillis();
    }
    return starts;
  }
}
