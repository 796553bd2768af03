package io.vigie.enrichment.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.enrichment.domain.Interval;
import io.vigie.enrichment.domain.PageCursor;
import io.vigie.enrichment.domain.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The history queries. Every query reads one tenant's documents, and only those stored while the device was under
 * one of the reader's scopes (a device moved from Lyon to Paris shows a Paris user its Paris history only).
 * Access to the device or node itself is checked before (see the history routes).
 */
public interface HistoryStore {

  /** Who reads: the tenant and the node ids the caller's grants cover (with their subtrees). */
  record Reader(String tenant, List<String> scopes) {}

  /** One value: its time (the reception time of the uplink), measurement name, unit, value and channel (or null). */
  record Point(Instant t, String name, String unit, double value, Integer channel) {}

  /**
   * Which values to read: those named {@code name} (every measurement when null), on {@code channel} when it is not
   * null, and then also those without a channel when {@code orUnnumbered} (values stored before channels existed).
   */
  record Series(String name, Integer channel, boolean orUnnumbered) {
    /** Every value named {@code name} (every measurement when null), whatever its channel. */
    public static Series any(String name) {
      return new Series(name, null, false);
    }

    /** Whether a stored measurement ({@code {"name","channel"?}}) belongs to the series. */
    public boolean matches(JsonObject measurement) {
      if (name != null && !name.equals(measurement.getString("name"))) return false;
      if (channel == null) return true;
      var its = measurement.getInteger("channel");
      return its == null ? orUnnumbered : its.equals(channel);
    }
  }

  /** Raw points in time order; {@code next} is null on the last page. */
  record Page(List<Point> points, PageCursor next) {}

  /** One bucket {@code [start, start + interval)}; avg, min and max are null when it is empty. */
  record Bucket(long start, long count, Double avg, Double min, Double max) {}

  /**
   * The latest stored uplink of each device, as its document ({@code devEui}, {@code receivedAt}, {@code fCnt},
   * {@code device}, {@code path}, {@code measurements}); {@code truncated} when there were more devices than answered.
   */
  record Latest(List<JsonObject> devices, boolean truncated) {}

  /** Raw points of one series, or of every measurement when its name is null. */
  Future<Page> points(Reader reader, String devEui, Series series, TimeRange range, PageCursor after, int limit);

  /** Every bucket of {@code interval} covering the range, empty ones included. */
  Future<List<Bucket>> buckets(Reader reader, String devEui, Series series, TimeRange range, Interval interval);

  /** The channels a device's values named {@code name} have in the range (empty when none has a channel). */
  Future<SortedSet<Integer>> channels(Reader reader, String devEui, String name, TimeRange range);

  /** The measurement names stored for a device. */
  Future<Set<String>> names(Reader reader, String devEui);

  /**
   * The latest uplink of every device whose latest uplink was stored under {@code nodeId} (devices that moved out
   * of the subtree since are left out), optionally only those received since {@code since}.
   */
  Future<Latest> latest(Reader reader, String nodeId, Instant since);
}
