package io.vigie.common.elastic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.function.Function;

/**
 * Elasticsearch over plain HTTP with the Vert.x web client (nothing blocks): create an index with its mapping, bulk
 * index documents by id (indexing one again replaces it), search. {@code url} may list several nodes, comma-separated
 * ({@link ElasticHosts}: round-robin, a request that gets no answer is tried on the next node). Credentials may be in
 * the URL ({@code https://user:pass@host:9200}); they are sent as Basic authorization and never logged.
 */
public final class ElasticHttp {
  private final WebClient http;
  private final ElasticHosts hosts;
  private final int shards;
  private final int replicas;

  /** Indices it creates get {@code shards} primary shards and {@code replicas} replicas (VIGIE_ES_SHARDS, VIGIE_ES_REPLICAS). */
  public ElasticHttp(Vertx vertx, String url, long timeoutMs, int shards, int replicas) {
    this.hosts = ElasticHosts.parse(url);
    this.shards = shards;
    this.replicas = replicas;
    this.http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000)
        .setIdleTimeout((int) Math.max(1, timeoutMs / 1000)));
  }

  /** Creates {@code index} with these mapped properties (nothing else indexed) unless it exists; then adds missing ones. */
  public Future<Void> ensureIndex(String index, JsonObject properties) {
    var body = new JsonObject().put("settings", new JsonObject().put("number_of_shards", shards).put("number_of_replicas", replicas))
        .put("mappings", new JsonObject().put("dynamic", false).put("properties", properties));
    return send(HttpMethod.PUT, "/" + index, request -> request.sendJsonObject(body)).compose(response -> {
      if (response.statusCode() < 300) return Future.<Void>succeededFuture();
      if (response.statusCode() == 400 && response.bodyAsString().contains("resource_already_exists_exception")) {
        // an index made by an older version: add the fields it lacks
        return send(HttpMethod.PUT, "/" + index + "/_mapping", request -> request.sendJsonObject(new JsonObject().put("properties", properties)))
            .compose(updated -> updated.statusCode() < 300 ? Future.<Void>succeededFuture()
                : Future.failedFuture("Elasticsearch refused the mapping of " + index + ": " + updated.statusCode()));
      }
      return Future.failedFuture("Elasticsearch refused index " + index + ": " + response.statusCode() + " " + response.bodyAsString());
    });
  }

  /** Indexes the documents (id → document) in one bulk request; fails unless every one is stored. */
  public Future<Void> bulk(String index, Map<String, JsonObject> documents) {
    if (documents.isEmpty()) return Future.succeededFuture();
    var body = Buffer.buffer();
    documents.forEach((id, document) -> body
        .appendString(new JsonObject().put("index", new JsonObject().put("_index", index).put("_id", id)).encode())
        .appendString("\n").appendString(document.encode()).appendString("\n"));
    return send(HttpMethod.POST, "/_bulk", request -> request.putHeader("Content-Type", "application/x-ndjson").sendBuffer(body))
        .compose(response -> response.statusCode() == 200 && !response.bodyAsJsonObject().getBoolean("errors", true)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture("Elasticsearch bulk of " + documents.size() + " documents into " + index + ": "
                + response.statusCode()));
  }

  /** The answer of a search of {@code index}; an empty one ({@code hits.hits} []) when the index does not exist yet. */
  public Future<JsonObject> search(String index, JsonObject query) {
    return send(HttpMethod.POST, "/" + index + "/_search", request -> request.sendJsonObject(query)).compose(response -> {
      if (response.statusCode() == 404) {
        return Future.succeededFuture(new JsonObject().put("hits", new JsonObject().put("hits", new io.vertx.core.json.JsonArray())));
      }
      if (response.statusCode() != 200) return Future.failedFuture("Elasticsearch search of " + index + ": " + response.statusCode());
      return Future.succeededFuture(response.bodyAsJsonObject());
    });
  }

  /** The request on the next node, on the following one when it got no answer. */
  private Future<HttpResponse<Buffer>> send(HttpMethod method, String path, Function<HttpRequest<Buffer>, Future<HttpResponse<Buffer>>> body) {
    return hosts.request(http, method, path, body);
  }

  public void close() {
    http.close();
  }
}
