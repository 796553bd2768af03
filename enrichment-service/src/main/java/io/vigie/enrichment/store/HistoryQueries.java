package io.vigie.enrichment.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.enrichment.domain.Interval;
import io.vigie.enrichment.domain.PageCursor;
import io.vigie.enrichment.domain.TimeRange;
import io.vigie.enrichment.store.HistoryStore.Reader;
import io.vigie.enrichment.store.HistoryStore.Series;
import java.time.Instant;
import java.util.List;

/**
 * The Elasticsearch query bodies of the history API. {@code measurements} is {@code nested}: a measurement's name
 * and value are matched in the same nested document, and statistics are computed by a {@code nested} aggregation
 * under a {@code date_histogram} on the document's {@code receivedAt}.
 */
final class HistoryQueries {
  /** Devices answered by one latest-values query. */
  static final int MAX_DEVICES = 10_000;

  private HistoryQueries() {}

  static JsonObject term(String field, Object value) {
    return new JsonObject().put("term", new JsonObject().put(field, value));
  }

  static JsonObject terms(String field, List<String> values) {
    return new JsonObject().put("terms", new JsonObject().put(field, new JsonArray(List.copyOf(values))));
  }

  static JsonObject sort(String field, String order) {
    return new JsonObject().put(field, new JsonObject().put("order", order));
  }

  /** One tenant's documents stored under one of the reader's scopes. */
  static JsonArray readable(Reader reader) {
    return new JsonArray().add(term("tenant", reader.tenant())).add(terms("path.id", reader.scopes()));
  }

  static JsonObject range(TimeRange range) {
    return new JsonObject().put("range", new JsonObject().put("receivedAt", new JsonObject()
        .put("gte", range.fromMillis()).put("lt", range.toMillis()).put("format", "epoch_millis")));
  }

  /** Documents that carry a value of the series. */
  static JsonObject hasMeasurement(Series series) {
    return new JsonObject().put("nested", new JsonObject().put("path", "measurements")
        .put("query", inSeries(series)));
  }

  /** A nested measurement of the series: its name, and its channel (or none, when the series allows it). */
  static JsonObject inSeries(Series series) {
    var filter = new JsonArray().add(term("measurements.name", series.name()));
    if (series.channel() != null) {
      var channel = term("measurements.channel", series.channel());
      if (series.orUnnumbered()) {
        var none = new JsonObject().put("bool", new JsonObject().put("must_not",
            new JsonObject().put("exists", new JsonObject().put("field", "measurements.channel"))));
        channel = new JsonObject().put("bool", new JsonObject().put("should", new JsonArray().add(channel).add(none))
            .put("minimum_should_match", 1));
      }
      filter.add(channel);
    }
    return new JsonObject().put("bool", new JsonObject().put("filter", filter));
  }

  private static JsonObject deviceQuery(Reader reader, String devEui, Series series, TimeRange range) {
    var filter = readable(reader).add(term("devEui", devEui)).add(range(range));
    if (series.name() != null) filter.add(hasMeasurement(series));
    return new JsonObject().put("bool", new JsonObject().put("filter", filter));
  }

  /** A page of documents in (receivedAt, id) order, after {@code after}; {@code size} documents at most. */
  static JsonObject points(Reader reader, String devEui, Series series, TimeRange range, PageCursor after, int size) {
    var body = new JsonObject().put("size", size).put("track_total_hits", false)
        .put("_source", new JsonArray().add("receivedAt").add("measurements"))
        .put("query", deviceQuery(reader, devEui, series, range))
        .put("sort", new JsonArray().add(sort("receivedAt", "asc")).add(sort("id", "asc")));
    if (after != null) body.put("search_after", after.searchAfter());
    return body;
  }

  /**
   * {@code stats} (count, min, max, avg) of the values named {@code name} per bucket: a {@code date_histogram} over
   * the documents, a {@code nested} aggregation into their measurements, a filter on the name. Empty buckets are
   * asked for ({@code min_doc_count 0} over {@code extended_bounds}); they are filled in anyway by the caller.
   */
  static JsonObject buckets(Reader reader, String devEui, Series series, TimeRange range, Interval interval) {
    var histogram = new JsonObject().put("field", "receivedAt")
        .put(interval.calendar() ? "calendar_interval" : "fixed_interval", interval.text())
        .put("time_zone", "UTC").put("min_doc_count", 0)
        .put("extended_bounds", new JsonObject().put("min", range.fromMillis()).put("max", range.toMillis() - 1));
    var perName = new JsonObject().put("filter", inSeries(series))
        .put("aggs", new JsonObject().put("values", new JsonObject().put("stats", new JsonObject().put("field", "measurements.value"))));
    var nested = new JsonObject().put("nested", new JsonObject().put("path", "measurements"))
        .put("aggs", new JsonObject().put("named", perName));
    return new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", deviceQuery(reader, devEui, series, range))
        .put("aggs", new JsonObject().put("over_time", new JsonObject().put("date_histogram", histogram)
            .put("aggs", new JsonObject().put("measurements", nested))));
  }

  /** The measurement names stored for a device, whenever. */
  static JsonObject names(Reader reader, String devEui) {
    return new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", readable(reader).add(term("devEui", devEui)))))
        .put("aggs", new JsonObject().put("measurements", new JsonObject()
            .put("nested", new JsonObject().put("path", "measurements"))
            .put("aggs", new JsonObject().put("names", new JsonObject()
                .put("terms", new JsonObject().put("field", "measurements.name").put("size", 500))))));
  }

  /** The channels of a device's values named {@code name} in the range (LPP has at most 256). */
  static JsonObject channels(Reader reader, String devEui, String name, TimeRange range) {
    var named = new JsonObject().put("filter", term("measurements.name", name))
        .put("aggs", new JsonObject().put("channels", new JsonObject()
            .put("terms", new JsonObject().put("field", "measurements.channel").put("size", 256))));
    return new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", deviceQuery(reader, devEui, Series.any(name), range))
        .put("aggs", new JsonObject().put("measurements", new JsonObject()
            .put("nested", new JsonObject().put("path", "measurements"))
            .put("aggs", new JsonObject().put("named", named))));
  }

  /** Per device stored under {@code nodeId}: its latest document there. */
  static JsonObject latest(Reader reader, String nodeId, Instant since) {
    var filter = readable(reader).add(term("path.id", nodeId));
    if (since != null) {
      filter.add(new JsonObject().put("range", new JsonObject().put("receivedAt", new JsonObject()
          .put("gte", since.toEpochMilli()).put("format", "epoch_millis"))));
    }
    var top = new JsonObject().put("size", 1)
        .put("sort", new JsonArray().add(sort("receivedAt", "desc")).add(sort("fCnt", "desc")))
        .put("_source", new JsonArray().add("id").add("devEui").add("fCnt").add("receivedAt").add("device").add("asset")
            .add("path").add("measurements").add("bestRx"));
    return new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", filter)))
        .put("aggs", new JsonObject().put("devices", new JsonObject()
            .put("terms", new JsonObject().put("field", "devEui").put("size", MAX_DEVICES).put("order", new JsonObject().put("_key", "asc")))
            .put("aggs", new JsonObject().put("latest", new JsonObject().put("top_hits", top)))));
  }

  /** Per device: the time of its latest document anywhere in the tenant (to leave out devices that moved away). */
  static JsonObject newest(String tenant, List<String> devEuis) {
    var filter = new JsonArray().add(term("tenant", tenant)).add(terms("devEui", devEuis));
    return new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", filter)))
        .put("aggs", new JsonObject().put("devices", new JsonObject()
            .put("terms", new JsonObject().put("field", "devEui").put("size", Math.max(1, devEuis.size())))
            .put("aggs", new JsonObject().put("newest", new JsonObject().put("max", new JsonObject().put("field", "receivedAt"))))));
  }
}
