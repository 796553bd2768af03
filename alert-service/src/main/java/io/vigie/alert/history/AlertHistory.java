package io.vigie.alert.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.elastic.ElasticHttp;
import io.vigie.common.redis.StreamIndexer;
import io.vigie.alert.store.RedisAlertStore;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The alert history in Elasticsearch: one document per transition (id = the transition's stream entry id, so indexing
 * it again replaces it), with the alert as it was then, fed by the consumer group {@code history} of the transitions
 * stream ({@link #indexer}). Plain HTTP ({@link ElasticHttp}): nothing blocks.
 */
public final class AlertHistory {
  public static final String GROUP = "history";

  private final ElasticHttp elastic;
  private final String index;

  public AlertHistory(ElasticHttp elastic, String index) {
    this.elastic = elastic;
    this.index = index;
  }

  /** The consumer group {@code history} of the transitions stream, indexing each batch read in one bulk request. */
  public StreamIndexer indexer(io.vertx.redis.client.Redis redis, long blockMs) {
    return new StreamIndexer(redis, RedisAlertStore.TRANSITIONS, GROUP, "alert", this::ensureIndex, this::index, blockMs);
  }

  /** Creates the index with its mapping unless it exists. */
  public Future<Void> ensureIndex() {
    var keyword = new JsonObject().put("type", "keyword");
    var number = new JsonObject().put("type", "long");
    var properties = new JsonObject().put("entryId", keyword).put("streamMs", number).put("streamSeq", number)
        .put("alertId", keyword).put("tenantId", keyword)
        .put("devEui", keyword).put("nodeId", keyword).put("pathIds", keyword).put("ruleId", keyword)
        .put("transition", keyword).put("by", keyword).put("severity", keyword).put("status", keyword)
        .put("at", new JsonObject().put("type", "date")).put("comment", new JsonObject().put("type", "text"))
        .put("alert", new JsonObject().put("type", "object").put("enabled", false));
    return elastic.ensureIndex(index, properties);
  }

  /** Indexes the transitions (entries whose JSON is the alert with transition, at, by) in one bulk request. */
  public Future<Void> index(List<StreamIndexer.Entry> transitions) {
    var documents = new LinkedHashMap<String, JsonObject>();
    transitions.forEach(t -> documents.put(t.id(), document(t)));
    return elastic.bulk(index, documents);
  }

  static JsonObject document(StreamIndexer.Entry t) {
    var alert = t.json();
    var dash = t.id().indexOf('-');
    var doc = new JsonObject().put("entryId", t.id()).put("alertId", alert.getString("id"))
        .put("streamMs", Long.parseLong(t.id().substring(0, dash)))
        .put("streamSeq", Long.parseLong(t.id().substring(dash + 1)))
        .put("tenantId", alert.getString("tenant")).put("devEui", alert.getString("devEui"))
        .put("nodeId", alert.getString("nodeId")).put("ruleId", alert.getString("ruleId"))
        .put("transition", alert.getString("transition")).put("at", alert.getString("at")).put("by", alert.getString("by"))
        .put("severity", alert.getString("severity")).put("status", alert.getString("status")).put("alert", alert);
    if (alert.getValue("pathIds") instanceof JsonArray ids) doc.put("pathIds", ids);
    if (alert.getString("comment") != null) doc.put("comment", alert.getString("comment"));
    return doc;
  }

  /**
   * The transitions of one alert in the order they happened (the stream's order; a system transition is dated by
   * measurement time, a person's by the clock, so {@code at} alone may not tell): {@code {"transition","at","by","severity","status","comment"?}}. */
  public Future<List<JsonObject>> of(String alertId) {
    var query = new JsonObject().put("size", 1000)
        .put("query", new JsonObject().put("term", new JsonObject().put("alertId", alertId)))
        .put("sort", new JsonArray().add(new JsonObject().put("streamMs", "asc")).add(new JsonObject().put("streamSeq", "asc")));
    return elastic.search(index, query).map(answer -> answer.getJsonObject("hits").getJsonArray("hits").stream()
        .map(hit -> ((JsonObject) hit).getJsonObject("_source"))
        .map(doc -> {
          var item = new JsonObject().put("transition", doc.getString("transition")).put("at", doc.getString("at"))
              .put("by", doc.getString("by")).put("severity", doc.getString("severity")).put("status", doc.getString("status"));
          if (doc.getString("comment") != null) item.put("comment", doc.getString("comment"));
          return item;
        }).toList());
  }

  public void close() {
    elastic.close();
  }
}
