package io.vigie.enrichment.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /api/v1/history/devices/{devEui}[.csv]}, checked once; every problem is an
 * {@link IllegalArgumentException} whose message says what to fix (a 400).
 *
 * @param name the measurement ({@code temperature}); null only for a CSV of every measurement
 * @param interval null for raw points
 * @param aggs what each bucket gives besides {@code count}: a subset of avg, min, max (default all three)
 * @param limit raw points: documents per page, 1 to {@link #MAX_LIMIT} (default {@link #DEFAULT_LIMIT})
 * @param cursor raw points: where the page starts (null for the first)
 * @param channel the sensor's channel (Cayenne LPP: {@code temperature} on channel 2); null to read the lowest channel
 *     the device has for {@code name} in the range (and the values without channel)
 */
public record HistoryRequest(String name, TimeRange range, Interval interval, Set<String> aggs, int limit,
                             PageCursor cursor, Integer channel) {
  /** The highest channel number (Cayenne LPP channels are one byte). */
  public static final int MAX_CHANNEL = 255;
  public static final int DEFAULT_LIMIT = 1000;
  public static final int MAX_LIMIT = 10_000;
  public static final List<String> AGGREGATIONS = List.of("avg", "min", "max");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,100}");

  /**
   * @param parameter a query parameter's value, or null when absent
   * @param csv the CSV export: raw points only, every measurement when {@code name} is absent
   */
  public static HistoryRequest parse(Function<String, String> parameter, boolean csv, Instant now) {
    var name = parameter.apply("name");
    if (name == null || name.isBlank()) {
      if (!csv) throw new IllegalArgumentException("name is required: the measurement to read, e.g. name=temperature");
      name = null;
    } else if (!NAME.matcher(name.trim()).matches()) {
      throw new IllegalArgumentException("name must be a measurement name such as temperature, got '" + name + "'");
    } else {
      name = name.trim();
    }
    var range = TimeRange.parse(parameter.apply("from"), parameter.apply("to"), now);
    var rawInterval = parameter.apply("interval");
    var rawAggs = parameter.apply("agg");
    Interval interval = null;
    Set<String> aggs = Set.of();
    if (rawInterval != null && !rawInterval.isBlank()) {
      if (csv) throw new IllegalArgumentException("the CSV export gives raw points: leave out interval and agg");
      interval = Interval.parse(rawInterval);
      interval.bucketStarts(range); // refuses too many buckets before anything is asked of Elasticsearch
      aggs = aggregations(rawAggs);
    } else if (rawAggs != null && !rawAggs.isBlank()) {
      throw new IllegalArgumentException("agg needs an interval, e.g. interval=15m&agg=avg,min,max");
    }
    var limit = limit(parameter.apply("limit"));
    var rawCursor = parameter.apply("cursor");
    var cursor = rawCursor == null || rawCursor.isBlank() ? null : PageCursor.decode(rawCursor);
    var channel = channel(parameter.apply("channel"));
    if (channel != null && name == null) {
      throw new IllegalArgumentException("channel needs a name: the measurement on that channel, e.g. name=temperature&channel=2");
    }
    return new HistoryRequest(name, range, interval, aggs, limit, cursor, channel);
  }

  private static Set<String> aggregations(String raw) {
    if (raw == null || raw.isBlank()) return new LinkedHashSet<>(AGGREGATIONS);
    var wanted = new LinkedHashSet<String>();
    for (var agg : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      if (!"count".equals(agg) && !AGGREGATIONS.contains(agg)) {
        throw new IllegalArgumentException("agg must list avg, min, max or count, got '" + agg + "'");
      }
      if (!"count".equals(agg)) wanted.add(agg);
    }
    return wanted;
  }

  private static int limit(String raw) {
    return raw == null || raw.isBlank() ? DEFAULT_LIMIT : integer("limit", raw, 1, MAX_LIMIT);
  }

  private static Integer channel(String raw) {
    return raw == null || raw.isBlank() ? null : integer("channel", raw, 0, MAX_CHANNEL);
  }

  private static int integer(String parameter, String raw, int min, int max) {
    try {
      var value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(parameter + " must be an integer from " + min + " to " + max + ", got '" + raw + "'");
  }
}
