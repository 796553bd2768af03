package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.elastic.ElasticHosts;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the latest stored measurements straight from the history store the enrichment service writes: its alias
 * {@code <prefix>-<tenant>} over the tenant's monthly indices, one search per subscription (a device: its newest
 * document; a node: the newest document of each device stored below it, as {@code GET /api/v1/history/nodes/{id}/latest}).
 * Only documents of the caller's tenant stored under one of its scopes are read. Alerts are not here
 * ({@link BusOpenAlerts}): asked anyway, their snapshot is empty and incomplete.
 */
public final class ElasticsearchLatestValues implements LatestValues {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchLatestValues.class);

  private final WebClient client;
  private final ElasticHosts hosts;
  private final String indexPrefix;
  private final int maxDevices;
  private final long timeoutMs;

  public ElasticsearchLatestValues(Vertx vertx, String elasticsearchUrl, String indexPrefix, int maxDevices, long timeoutMs) {
    this.hosts = ElasticHosts.parse(elasticsearchUrl);
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout(2000));
    this.indexPrefix = indexPrefix;
    this.maxDevices = maxDevices;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Snapshot> of(LiveAddress target, VigiePrincipal principal) {
    if (target.kind() == LiveAddress.Kind.NODE_ALERTS) return Future.succeededFuture(Snapshot.unavailable());
    var filter = new JsonArray().add(term("tenant", principal.tenant()))
        .add(new JsonObject().put("terms", new JsonObject().put("path.id", new JsonArray(principal.scopes()))))
        .add(target.isDevice() ? term("devEui", target.id()) : term("path.id", target.id()));
    var newest = new JsonArray().add(new JsonObject().put("receivedAt", "desc")).add(new JsonObject().put("fCnt", "desc"));
    var query = new JsonObject().put("bool", new JsonObject().put("filter", filter));
    var body = target.isDevice()
        ? new JsonObject().put("size", 1).put("track_total_hits", false).put("query", query).put("sort", newest)
        : new JsonObject().put("size", 0).put("track_total_hits", false).put("query", query)
            .put("aggs", new JsonObject().put("devices", new JsonObject()
                .put("terms", new JsonObject().put("field", "devEui").put("size", maxDevices))
                .put("aggs", new JsonObject().put("latest", new JsonObject()
                    .put("top_hits", new JsonObject().put("size", 1).put("sort", newest))))));
    return search(principal.tenant(), body).compose(answer -> {
      if (answer == null) return Future.succeededFuture(new Snapshot(new JsonArray(), true));  // nothing stored yet
      if (target.isDevice()) return Future.succeededFuture(device(answer));
      var snapshot = node(answer);
      return snapshot.items().isEmpty() ? Future.succeededFuture(snapshot) : stillThere(principal.tenant(), snapshot);
    }).otherwise(failure -> {
      LOG.warn("no snapshot for {}: cannot read the history store ({})", target.address(), failure.getMessage());
      return Snapshot.unavailable();
    });
  }

  /** Succeeds when Elasticsearch answers and its cluster is not red: the snapshots can be read (readiness). */
  public Future<Void> ready() {
    return hosts.request(client, HttpMethod.GET, "/_cluster/health", request -> request.timeout(Math.min(timeoutMs, 2000)).send())
        .compose(answer -> {
          if (answer.statusCode() != 200) return Future.failedFuture("Elasticsearch answered " + answer.statusCode());
          return "red".equals(answer.bodyAsJsonObject().getString("status"))
              ? Future.failedFuture("Elasticsearch cluster health is red") : Future.succeededFuture();
        });
  }

  /** The search's answer; null when the tenant has no index yet. */
  private Future<JsonObject> search(String tenant, JsonObject body) {
    return hosts.request(client, HttpMethod.POST, "/" + alias(tenant) + "/_search",
        request -> request.timeout(timeoutMs).sendJsonObject(body)).map(response -> {
      if (response.statusCode() == 404) return null;
      if (response.statusCode() != 200) throw new IllegalStateException("Elasticsearch answered " + response.statusCode());
      return response.bodyAsJsonObject();
    });
  }

  /**
   * Leaves out the devices that stored something newer elsewhere since: they moved out of the subtree (as the
   * history API's latest values do).
   */
  private Future<Snapshot> stillThere(String tenant, Snapshot snapshot) {
    var devEuis = new JsonArray();
    snapshot.items().forEach(document -> devEuis.add(((JsonObject) document).getString("devEui")));
    var body = new JsonObject().put("size", 0).put("track_total_hits", false)
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray().add(term("tenant", tenant))
            .add(new JsonObject().put("terms", new JsonObject().put("devEui", devEuis))))))
        .put("aggs", new JsonObject().put("devices", new JsonObject()
            .put("terms", new JsonObject().put("field", "devEui").put("size", devEuis.size()))
            .put("aggs", new JsonObject().put("newest", new JsonObject().put("max", new JsonObject().put("field", "receivedAt"))))));
    return search(tenant, body).map(answer -> {
      var newest = new java.util.HashMap<String, String>();
      answer.getJsonObject("aggregations").getJsonObject("devices").getJsonArray("buckets", new JsonArray()).forEach(b -> {
        var bucket = (JsonObject) b;
        newest.put(bucket.getString("key"), bucket.getJsonObject("newest").getString("value_as_string"));
      });
      var kept = new JsonArray();
      snapshot.items().forEach(item -> {
        var document = (JsonObject) item;
        var latest = newest.get(document.getString("devEui"));
        if (latest == null || !Instant.parse(latest).isAfter(Instant.parse(document.getString("receivedAt")))) kept.add(document);
      });
      return new Snapshot(kept, snapshot.complete());
    });
  }

  private static Snapshot device(JsonObject answer) {
    var items = new JsonArray();
    hits(answer).forEach(hit -> items.add(((JsonObject) hit).getJsonObject("_source")));
    return new Snapshot(items, true);
  }

  private static Snapshot node(JsonObject answer) {
    var items = new JsonArray();
    var aggregations = answer.getJsonObject("aggregations");
    if (aggregations == null) return new Snapshot(items, true);
    var devices = aggregations.getJsonObject("devices");
    devices.getJsonArray("buckets", new JsonArray()).forEach(bucket ->
        hits(((JsonObject) bucket).getJsonObject("latest")).forEach(hit -> items.add(((JsonObject) hit).getJsonObject("_source"))));
    return new Snapshot(items, devices.getLong("sum_other_doc_count", 0L) == 0);
  }

  private static JsonArray hits(JsonObject answer) {
    return answer.getJsonObject("hits", new JsonObject()).getJsonArray("hits", new JsonArray());
  }

  private static JsonObject term(String field, String value) {
    return new JsonObject().put("term", new JsonObject().put(field, value));
  }

  /** The enrichment service's alias of a tenant: the tenant lower-cased, characters outside {@code [a-z0-9_-]} as {@code _}. */
  String alias(String tenant) {
    return indexPrefix + "-" + tenant.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
  }
}
