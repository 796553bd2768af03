package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.elastic.ElasticHttp;
import io.vigie.common.http.ApiException;
import io.vigie.common.redis.StreamIndexer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The audit trail in Elasticsearch: one document per event of the stream {@link AuditLog#STREAM} (document id = the
 * stream entry id, so an event indexed twice is stored once), fed by the consumer group {@value #GROUP}
 * ({@link #indexer}), searched newest first.
 */
public record AuditTrail(ElasticHttp elastic, String index) {
  public static final String GROUP = "audit";

  /** A search: the caller's tenant and scopes, and the filters of the request (null: any). */
  public record Query(String tenant, List<String> scopes, String nodeId, String from, String to, String kind,
                      String actor, int limit, String cursor) {}

  /** A page of entries, newest first, and the cursor of the next page (null at the end). */
  public record Page(List<JsonObject> entries, String next) {}

  public StreamIndexer indexer(Redis redis, long blockMs) {
    return new StreamIndexer(redis, AuditLog.STREAM, GROUP, AuditLog.FIELD, this::ensureIndex, this::index, blockMs);
  }

  public Future<Void> ensureIndex() {
    var keyword = new JsonObject().put("type", "keyword");
    var number = new JsonObject().put("type", "long");
    var properties = new JsonObject().put("streamMs", number).put("streamSeq", number)
        .put("at", new JsonObject().put("type", "date")).put("tenant", keyword).put("action", keyword)
        .put("kind", keyword).put("targetId", keyword).put("targetName", keyword).put("nodeId", keyword)
        .put("path", keyword).put("actor", new JsonObject().put("properties", new JsonObject().put("sub", keyword)
            .put("role", keyword)))
        .put("comment", new JsonObject().put("type", "text"))
        .put("changes", new JsonObject().put("type", "object").put("enabled", false));
    return elastic.ensureIndex(index, properties);
  }

  /** Indexes the events in one bulk request. */
  public Future<Void> index(List<StreamIndexer.Entry> events) {
    var documents = new LinkedHashMap<String, JsonObject>();
    for (var event : events) {
      var dash = event.id().indexOf('-');
      var recordedMs = Long.parseLong(event.id().substring(0, dash));
      // "at" is when the trail recorded the change (the stream's clock, shared by every producer), so the trail's
      // order (newest first, by stream entry) and its times always agree, whichever service made the change
      documents.put(event.id(), event.json().copy().put("at", Instant.ofEpochMilli(recordedMs).toString())
          .put("streamMs", recordedMs).put("streamSeq", Long.parseLong(event.id().substring(dash + 1))));
    }
    return elastic.bulk(index, documents);
  }

  /** The entries matching {@code query}, newest first (by stream order), within the caller's tenant and scopes. */
  public Future<Page> search(Query query) {
    var filters = new JsonArray()
        .add(term("tenant", query.tenant()))
        .add(new JsonObject().put("terms", new JsonObject().put("path", new JsonArray(query.scopes()))));
    if (query.nodeId() != null) filters.add(term("path", query.nodeId()));
    if (query.kind() != null) filters.add(term("kind", query.kind()));
    if (query.actor() != null) filters.add(term("actor.sub", query.actor()));
    if (query.from() != null || query.to() != null) {
      var range = new JsonObject();
      if (query.from() != null) range.put("gte", query.from());
      if (query.to() != null) range.put("lt", query.to());
      filters.add(new JsonObject().put("range", new JsonObject().put("at", range)));
    }
    var search = new JsonObject().put("size", query.limit() + 1)
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", filters)))
        .put("sort", new JsonArray().add(new JsonObject().put("streamMs", "desc")).add(new JsonObject().put("streamSeq", "desc")));
    if (query.cursor() != null) {
      var dash = query.cursor().indexOf('-');
      search.put("search_after", new JsonArray().add(Long.parseLong(query.cursor().substring(0, dash)))
          .add(Long.parseLong(query.cursor().substring(dash + 1))));
    }
    return elastic.search(index, search)
        .recover(e -> Future.failedFuture(ApiException.unavailable("the audit trail cannot be read now: " + e.getMessage())))
        .map(answer -> {
      var hits = answer.getJsonObject("hits").getJsonArray("hits");
      var entries = new java.util.ArrayList<JsonObject>();
      for (int i = 0; i < Math.min(hits.size(), query.limit()); i++) {
        var hit = hits.getJsonObject(i);
        var entry = hit.getJsonObject("_source").copy();
        entry.remove("streamMs");
        entry.remove("streamSeq");
        entries.add(new JsonObject().put("id", hit.getString("_id")).mergeIn(entry));
      }
      var next = hits.size() > query.limit() ? entries.get(entries.size() - 1).getString("id") : null;
      return new Page(entries, next);
    });
  }

  private static JsonObject term(String field, String value) {
    return new JsonObject().put("term", new JsonObject().put(field, value));
  }
}
