package io.vigie.enrichment.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.enrichment.domain.IndexNames;
import io.vigie.enrichment.domain.Interval;
import io.vigie.enrichment.domain.PageCursor;
import io.vigie.enrichment.domain.TimeRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The history queries on a tenant's alias ({@code <prefix>-<tenant>}, every month). A tenant with nothing stored yet
 * has no alias: its queries answer empty rather than fail.
 */
public final class ElasticsearchHistoryStore implements HistoryStore {
  private static final Map<String, String> MISSING_IS_EMPTY = ElasticsearchMeasurementStore.MISSING_IS_EMPTY;

  private final Elasticsearch es;
  private final IndexNames names;

  public ElasticsearchHistoryStore(Elasticsearch es, String indexPrefix) {
    this.es = es;
    this.names = new IndexNames(indexPrefix);
  }

  private Future<JsonObject> search(String tenant, JsonObject body, String what) {
    return es.json("POST", "/" + names.alias(tenant) + "/_search", MISSING_IS_EMPTY, body)
        .recover(e -> Future.failedFuture(Elasticsearch.failure(what, e)));
  }

  @Override
  public Future<Page> points(Reader reader, String devEui, Series series, TimeRange range, PageCursor after, int limit) {
    // one more than asked tells whether a next page exists, within the 10,000 hits a search may return
    int size = Math.min(limit + 1, 10_000);
    return search(reader.tenant(), HistoryQueries.points(reader, devEui, series, range, after, size), "read the history of " + devEui)
        .map(answer -> {
          var hits = hits(answer);
          boolean more = hits.size() > limit || (hits.size() == size && size == limit);
          var points = new ArrayList<Point>();
          PageCursor last = null;
          for (int i = 0; i < Math.min(limit, hits.size()); i++) {
            var hit = hits.getJsonObject(i);
            var source = hit.getJsonObject("_source");
            var t = Instant.parse(source.getString("receivedAt"));
            for (var m : source.getJsonArray("measurements", new JsonArray())) {
              var measurement = (JsonObject) m;
              if (series.matches(measurement) && measurement.getValue("value") instanceof Number value) {
                points.add(new Point(t, measurement.getString("name"), measurement.getString("unit"), value.doubleValue(),
                    measurement.getInteger("channel")));
              }
            }
            var sort = hit.getJsonArray("sort");
            last = new PageCursor(sort.getLong(0), sort.getString(1));
          }
          return new Page(points, more ? last : null);
        });
  }

  @Override
  public Future<List<Bucket>> buckets(Reader reader, String devEui, Series series, TimeRange range, Interval interval) {
    var starts = interval.bucketStarts(range);
    return search(reader.tenant(), HistoryQueries.buckets(reader, devEui, series, range, interval), "aggregate the history of " + devEui)
        .map(answer -> {
          var found = new HashMap<Long, JsonObject>();
          var aggregations = answer.getJsonObject("aggregations");
          if (aggregations != null) {
            for (var b : aggregations.getJsonObject("over_time").getJsonArray("buckets", new JsonArray())) {
              var bucket = (JsonObject) b;
              found.put(bucket.getLong("key"), bucket.getJsonObject("measurements").getJsonObject("named").getJsonObject("values"));
            }
          }
          var buckets = new ArrayList<Bucket>(starts.size());
          for (var start : starts) {
            var stats = found.get(start);
            long count = stats == null ? 0 : stats.getLong("count", 0L);
            buckets.add(count == 0
                ? new Bucket(start, 0, null, null, null)
                : new Bucket(start, count, stats.getDouble("avg"), stats.getDouble("min"), stats.getDouble("max")));
          }
          return buckets;
        });
  }

  @Override
  public Future<SortedSet<Integer>> channels(Reader reader, String devEui, String name, TimeRange range) {
    return search(reader.tenant(), HistoryQueries.channels(reader, devEui, name, range), "list the channels of " + devEui)
        .map(answer -> {
          var channels = new TreeSet<Integer>();
          var aggregations = answer.getJsonObject("aggregations");
          if (aggregations != null) {
            aggregations.getJsonObject("measurements").getJsonObject("named").getJsonObject("channels")
                .getJsonArray("buckets", new JsonArray()).forEach(b -> channels.add(((JsonObject) b).getInteger("key")));
          }
          return channels;
        });
  }

  @Override
  public Future<Set<String>> names(Reader reader, String devEui) {
    return search(reader.tenant(), HistoryQueries.names(reader, devEui), "list the measurements of " + devEui)
        .map(answer -> {
          var names = new LinkedHashSet<String>();
          var aggregations = answer.getJsonObject("aggregations");
          if (aggregations != null) {
            aggregations.getJsonObject("measurements").getJsonObject("names").getJsonArray("buckets", new JsonArray())
                .forEach(b -> names.add(((JsonObject) b).getString("key")));
          }
          return names;
        });
  }

  @Override
  public Future<Latest> latest(Reader reader, String nodeId, Instant since) {
    return search(reader.tenant(), HistoryQueries.latest(reader, nodeId, since), "read the latest values below " + nodeId)
        .compose(answer -> {
          var aggregations = answer.getJsonObject("aggregations");
          if (aggregations == null) return Future.succeededFuture(new Latest(List.of(), false));
          var devices = aggregations.getJsonObject("devices");
          var latest = new ArrayList<JsonObject>();
          for (var b : devices.getJsonArray("buckets", new JsonArray())) {
            latest.add(hits(((JsonObject) b).getJsonObject("latest")).getJsonObject(0).getJsonObject("_source"));
          }
          boolean truncated = devices.getLong("sum_other_doc_count", 0L) > 0;
          if (latest.isEmpty()) return Future.succeededFuture(new Latest(latest, truncated));
          var devEuis = latest.stream().map(d -> d.getString("devEui")).toList();
          return search(reader.tenant(), HistoryQueries.newest(reader.tenant(), devEuis), "read the latest values below " + nodeId)
              .map(newest -> new Latest(stillThere(latest, newest), truncated));
        });
  }

  /** Leaves out the devices whose latest uplink anywhere is newer than their latest one under the node: they moved. */
  private static List<JsonObject> stillThere(List<JsonObject> latest, JsonObject newest) {
    var newestByDevice = new HashMap<String, Long>();
    newest.getJsonObject("aggregations").getJsonObject("devices").getJsonArray("buckets", new JsonArray())
        .forEach(b -> {
          var bucket = (JsonObject) b;
          var value = bucket.getJsonObject("newest").getValue("value");
          if (value instanceof Number n) newestByDevice.put(bucket.getString("key"), n.longValue());
        });
    return latest.stream().filter(device -> {
      var here = Instant.parse(device.getString("receivedAt")).toEpochMilli();
      return newestByDevice.getOrDefault(device.getString("devEui"), here) <= here;
    }).toList();
  }

  private static JsonArray hits(JsonObject answer) {
    return answer.getJsonObject("hits", new JsonObject()).getJsonArray("hits", new JsonArray());
  }
}
