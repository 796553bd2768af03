package io.vigie.enrichment.store;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.vigie.common.elastic.ElasticHosts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.enrichment.config.EnrichmentConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Elasticsearch, shared by writes and queries: the low-level REST client for JSON requests
 * (bulk, searches: their bodies are JSON built here, their answers read as {@link JsonObject}) and the typed
 * asynchronous client over it (template, indices, health). Thread-safe. Answers are parsed on the client's I/O
 * threads and handed back to the caller's Vert.x context.
 */
public final class Elasticsearch {
  private static final Logger LOG = LoggerFactory.getLogger(Elasticsearch.class);
  private static final int CONNECT_TIMEOUT_MS = 2000;
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

  private final Vertx vertx;
  private final RestClient rest;
  private final RestClientTransport transport;
  private final ElasticsearchAsyncClient client;

  public Elasticsearch(Vertx vertx, EnrichmentConfig config) {
    this.vertx = vertx;
    this.rest = restClient(config);
    this.transport = new RestClientTransport(rest, new JacksonJsonpMapper());
    this.client = new ElasticsearchAsyncClient(transport);
  }

  private static RestClient restClient(EnrichmentConfig config) {
    // several nodes: the low-level client sends round-robin and retries a request on another node when one fails
    var hosts = config.elasticsearch().hosts().stream()
        .map(url -> new HttpHost(url.getHost(), ElasticHosts.port(url), url.getScheme())).toArray(HttpHost[]::new);
    var builder = RestClient.builder(hosts)
        .setRequestConfigCallback(request -> request
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setSocketTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeoutMs())));
    var authorization = config.elasticsearch().authorization();
    if (authorization != null) builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", authorization)});
    return builder.build();
  }

  public ElasticsearchAsyncClient client() {
    return client;
  }

  /** A JSON request; {@code body} may be null. Fails with the client's exception (see {@link EsError}). */
  public Future<JsonObject> json(String method, String path, Map<String, String> parameters, JsonObject body) {
    var request = new Request(method, path);
    parameters.forEach(request::addParameter);
    if (body != null) request.setJsonEntity(body.encode());
    return send(request, JsonObject::new, new JsonObject());
  }

  /** A JSON request answered with an array (the {@code _cat} APIs with {@code format=json}). */
  public Future<JsonArray> jsonArray(String method, String path, Map<String, String> parameters) {
    var request = new Request(method, path);
    parameters.forEach(request::addParameter);
    return send(request, JsonArray::new, new JsonArray());
  }

  /** {@code POST /_bulk} with NDJSON lines, answered with the status of each item only. */
  public Future<JsonObject> bulk(Buffer lines) {
    var request = new Request("POST", "/_bulk");
    request.addParameter("filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason");
    request.setEntity(new ByteArrayEntity(lines.getBytes(), NDJSON));
    return send(request, JsonObject::new, new JsonObject());
  }

  private <T> Future<T> send(Request request, Function<String, T> parser, T empty) {
    var context = vertx.getOrCreateContext();
    var answer = new CompletableFuture<T>();
    rest.performRequestAsync(request, new ResponseListener() {
      @Override
      public void onSuccess(Response response) {
        try {
          var entity = response.getEntity();
          answer.complete(entity == null ? empty : parser.apply(EntityUtils.toString(entity, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
          answer.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Exception exception) {
        answer.completeExceptionally(exception);
      }
    });
    return Future.fromCompletionStage(answer, context);
  }

  /** Back on the caller's context: the typed client completes on its own I/O threads. */
  public <T> Future<T> async(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      transport.close();
      return null;
    });
  }

  /**
   * 503 when Elasticsearch is unreachable, overloaded (429) or failing (5xx): worth retrying;
   * 500 when it refuses the request (another 4xx): retrying will not help.
   */
  public static ApiException failure(String what, Throwable e) {
    if (unwrap(e) instanceof ApiException api) return api;
    var error = EsError.of(e);
    if (!error.retriable()) {
      LOG.error("Elasticsearch refused to {}: {} {}", what, error.type(), error.reason());
      return new ApiException(500, "internal_error", "Elasticsearch refused to " + what + " (" + error.status() + " "
          + error.type() + ": " + error.reason() + ")");
    }
    var reason = error.status() > 0 ? error.status() + " " + error.type() : error.reason();
    return ApiException.unavailable("Elasticsearch could not " + what + " (" + reason + ")");
  }

  /**
   * What Elasticsearch answered, whichever way the client reports it: a typed
   * {@link ElasticsearchException}, or (the asynchronous client over the low-level REST client
   * does this) the low-level {@link ResponseException} with the error body.
   *
   * @param status the HTTP status, 0 when no answer came (connection refused, timeout)
   */
  public record EsError(int status, String type, String reason) {
    static EsError of(Throwable failure) {
      var cause = unwrap(failure);
      if (cause instanceof ElasticsearchException es) {
        return new EsError(es.status(), es.error().type(), es.error().reason());
      }
      if (cause instanceof ResponseException re) {
        var status = re.getResponse().getStatusLine().getStatusCode();
        try {
          var error = new JsonObject(EntityUtils.toString(re.getResponse().getEntity())).getJsonObject("error", new JsonObject());
          return new EsError(status, error.getString("type"), error.getString("reason"));
        } catch (IOException | RuntimeException unreadable) {
          return new EsError(status, null, re.getResponse().getStatusLine().getReasonPhrase());
        }
      }
      if (cause instanceof TransportException te) {
        return new EsError(Math.max(te.statusCode(), 0), null, te.getMessage());
      }
      return new EsError(0, null, String.valueOf(cause));
    }

    /** Unreachable, timed out, 429 or 5xx: the same request may succeed later. */
    public boolean retriable() {
      return status == 0 || status == 429 || status >= 500;
    }
  }

  /** No connection could be made: the request was certainly not applied. */
  static boolean notSent(Throwable failure) {
    return unwrap(failure) instanceof ConnectException;
  }

  static Throwable unwrap(Throwable e) {
    var cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
