package io.vigie.simulator.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;

/** The platform's HTTP ingestion endpoints, with the integration secret; the answer is the outcome. */
final class HttpIngest {
  private final WebClient client;
  private final String ingestToken;

  HttpIngest(Vertx vertx, String baseUrl, String ingestToken) {
    var uri = URI.create(baseUrl);
    var ssl = "https".equalsIgnoreCase(uri.getScheme());
    var port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(port)
        .setSsl(ssl).setKeepAlive(true).setUserAgent("vigie-simulator"), new PoolOptions().setHttp1MaxSize(64));
    this.ingestToken = ingestToken;
  }

  /** POSTs the body; {@code query} is appended as is ({@code "event=up"}), or null. */
  Future<Outcome> post(String path, String query, JsonObject body) {
    var request = client.post(query == null ? path : path + "?" + query);
    if (ingestToken != null && !ingestToken.isEmpty()) request.bearerTokenAuthentication(ingestToken);
    return request.sendJsonObject(body)
        .map(response -> Outcome.http(response.statusCode(), response.bodyAsString()))
        .otherwise(e -> Outcome.failed("no answer: " + e.getMessage()));
  }

  Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
