package io.vigie.alert.history;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.List;

/**
 * The alert history in Elasticsearch: one document per transition (id = the transition's stream entry id, so indexing
 * it again replaces it), with the alert as it was then. Plain HTTP with the Vert.x web client: nothing blocks.
 */
public final class AlertHistory {
  /** A transition read from the stream: its entry id and the alert JSON with transition, at, by. */
  public record Transition(String entryId, JsonObject alert) {}

  private final WebClient http;
  private final String index;
  private final String authorization;

  public AlertHistory(Vertx vertx, String url, String index, long timeoutMs) {
    var uri = URI.create(url);
    var https = "https".equals(uri.getScheme());
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost())
        .setDefaultPort(uri.getPort() != -1 ? uri.getPort() : https ? 443 : 9200).setSsl(https)
        .setConnectTimeout(2000).setIdleTimeout((int) Math.max(1, timeoutMs / 1000)));
    this.index = index;
    this.authorization = uri.getRawUserInfo() == null ? null
        : "Basic " + java.util.Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
    var body = new JsonObject().put("mappings", new JsonObject().put("dynamic", false).put("properties", properties));
    return request(http.put("/" + index)).sendJsonObject(body).compose(response -> {
      if (response.statusCode() < 300) return Future.<Void>succeededFuture();
      if (response.statusCode() == 400 && response.bodyAsString().contains("resource_already_exists_exception")) {
        // an index made by an older version: add the fields it lacks
        return request(http.put("/" + index + "/_mapping")).sendJsonObject(new JsonObject().put("properties", properties))
            .compose(updated -> updated.statusCode() < 300 ? Future.<Void>succeededFuture()
                : Future.failedFuture("Elasticsearch refused the mapping of " + index + ": " + updated.statusCode()));
      }
      return Future.failedFuture("Elasticsearch refused index " + index + ": " + response.statusCode() + " " + response.bodyAsString());
    });
  }

  /** Indexes the transitions in one bulk request; fails unless every one is stored. */
  public Future<Void> index(List<Transition> transitions) {
    if (transitions.isEmpty()) return Future.succeededFuture();
    var body = Buffer.buffer();
    for (var t : transitions) {
      body.appendString(new JsonObject().put("index", new JsonObject().put("_index", index).put("_id", t.entryId())).encode())
          .appendString("\n").appendString(document(t).encode()).appendString("\n");
    }
    return request(http.post("/_bulk")).putHeader("Content-Type", "application/x-ndjson").sendBuffer(body)
        .compose(response -> response.statusCode() == 200 && !response.bodyAsJsonObject().getBoolean("errors", true)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture("Elasticsearch bulk of " + transitions.size() + " transitions: " + response.statusCode()));
  }

  static JsonObject document(Transition t) {
    var alert = t.alert();
    var dash = t.entryId().indexOf('-');
    var doc = new JsonObject().put("entryId", t.entryId()).put("alertId", alert.getString("id"))
        .put("streamMs", Long.parseLong(t.entryId().substring(0, dash)))
        .put("streamSeq", Long.parseLong(t.entryId().substring(dash + 1)))
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
    return request(http.post("/" + index + "/_search")).sendJsonObject(query).compose(response -> {
      if (response.statusCode() == 404) return Future.succeededFuture(List.<JsonObject>of());
      if (response.statusCode() != 200) return Future.failedFuture("Elasticsearch search: " + response.statusCode());
      return Future.succeededFuture(response.bodyAsJsonObject().getJsonObject("hits").getJsonArray("hits").stream()
          .map(hit -> ((JsonObject) hit).getJsonObject("_source"))
          .map(doc -> {
            var item = new JsonObject().put("transition", doc.getString("transition")).put("at", doc.getString("at"))
                .put("by", doc.getString("by")).put("severity", doc.getString("severity")).put("status", doc.getString("status"));
            if (doc.getString("comment") != null) item.put("comment", doc.getString("comment"));
            return item;
          }).toList());
    });
  }

  private HttpRequest<Buffer> request(HttpRequest<Buffer> request) {
    return authorization == null ? request : request.putHeader("Authorization", authorization);
  }

  public void close() {
    http.close();
  }
}
