package io.vigie.simulator.capacity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the benchmark asks Elasticsearch directly: indexing counts, stored ids, documents, a raw bulk. Blocking calls. */
final class Elastic {
  private final WebClient client;
  private final String pattern;

  Elastic(Vertx vertx, String url, String indexPrefix) {
    var uri = URI.create(url);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()));
    this.pattern = indexPrefix + "-*";
  }

  JsonObject call(HttpMethod method, String path, Object body) {
    var request = client.request(method, path);
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> answer;
    if (body instanceof Buffer ndjson) {
      answer = request.putHeader("content-type", "application/x-ndjson").sendBuffer(ndjson);
    } else if (body instanceof JsonObject json) {
      answer = request.sendJsonObject(json);
    } else {
      answer = request.send();
    }
    var response = CapacityRun.await(answer);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Documents indexed so far into the measurement indices (primaries; refreshed or not). */
  long indexed() {
    var stats = call(HttpMethod.GET, "/" + pattern + "/_stats/indexing?ignore_unavailable=true&allow_no_indices=true", null);
    return stats.getJsonObject("_all").getJsonObject("primaries").getJsonObject("indexing", new JsonObject())
        .getLong("index_total", 0L);
  }

  void refresh() {
    call(HttpMethod.POST, "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
  }

  /** How many of these document ids are stored (after a refresh). */
  long countIds(List<String> ids) {
    long count = 0;
    for (int from = 0; from < ids.size(); from += 10_000) {
      var chunk = new JsonArray(new ArrayList<Object>(ids.subList(from, Math.min(ids.size(), from + 10_000))));
      count += call(HttpMethod.POST, "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true",
          new JsonObject().put("query", new JsonObject().put("ids", new JsonObject().put("values", chunk)))).getLong("count");
    }
    return count;
  }

  /** The highest frame counter stored for DevEUIs starting with {@code prefix}, or -1. */
  long maxFCnt(String devEuiPrefix) {
    var answer = call(HttpMethod.POST, "/" + pattern + "/_search?ignore_unavailable=true&allow_no_indices=true",
        new JsonObject().put("size", 0).put("query", new JsonObject().put("prefix", new JsonObject().put("devEui", devEuiPrefix)))
            .put("aggs", new JsonObject().put("top", new JsonObject().put("max", new JsonObject().put("field", "fCnt")))));
    var value = answer.getJsonObject("aggregations", new JsonObject()).getJsonObject("top", new JsonObject()).getValue("value");
    return value instanceof Number n ? n.longValue() : -1;
  }

  /** Up to {@code limit} stored documents: {@code [index, id, source]} each. */
  List<Object[]> documents(int limit) {
    var documents = new ArrayList<Object[]>();
    var page = call(HttpMethod.POST, "/" + pattern + "/_search?scroll=1m",
        new JsonObject().put("size", Math.min(limit, 5000)).put("sort", new JsonArray().add("_doc")));
    while (documents.size() < limit) {
      var hits = page.getJsonObject("hits").getJsonArray("hits");
      if (hits.isEmpty()) break;
      for (var hit : hits) {
        var h = (JsonObject) hit;
        if (documents.size() < limit) documents.add(new Object[] {h.getString("_index"), h.getString("_id"), h.getJsonObject("_source")});
      }
      page = call(HttpMethod.POST, "/_search/scroll", new JsonObject().put("scroll", "1m").put("scroll_id", page.getString("_scroll_id")));
    }
    call(HttpMethod.DELETE, "/_search/scroll", new JsonObject().put("scroll_id", page.getString("_scroll_id")));
    return documents;
  }

  /** Creates {@code scratch} with the mapping and shard count of {@code like}, without replicas or refreshes. */
  void createLike(String scratch, String like) {
    var mappings = call(HttpMethod.GET, "/" + like + "/_mapping", null).getJsonObject(like).getJsonObject("mappings");
    var settings = call(HttpMethod.GET, "/" + like + "/_settings", null).getJsonObject(like).getJsonObject("settings")
        .getJsonObject("index");
    call(HttpMethod.DELETE, "/" + scratch + "?ignore_unavailable=true", null);
    // not refreshed while bulked, as the platform's indices are not while nobody searches them (the template leaves
    // refresh to Elasticsearch's default, and a new index is not search-idle for its first 30 s): the ratio never
    // flatters the platform for a reason of settings
    call(HttpMethod.PUT, "/" + scratch, new JsonObject().put("mappings", mappings).put("settings", new JsonObject(Map.of(
        "number_of_shards", settings.getValue("number_of_shards"), "number_of_replicas", 0, "refresh_interval", "-1"))));
  }

  /** One {@code _bulk} request; fails when an item failed. */
  Future<Void> bulk(Buffer ndjson) {
    return client.request(HttpMethod.POST, "/_bulk?filter_path=errors").putHeader("content-type", "application/x-ndjson")
        .sendBuffer(ndjson)
        .compose(response -> response.statusCode() == 200 && !response.bodyAsJsonObject().getBoolean("errors", true)
            ? Future.<Void>succeededFuture() : Future.failedFuture("raw _bulk answered " + response.statusCode() + " " + response.bodyAsString()));
  }

  void delete(String index) {
    call(HttpMethod.DELETE, "/" + index + "?ignore_unavailable=true", null);
  }

  void close() {
    client.close();
  }
}
