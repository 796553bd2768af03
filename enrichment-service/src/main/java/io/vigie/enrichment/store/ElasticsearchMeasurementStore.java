package io.vigie.enrichment.store;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Result;
import co.elastic.clients.elasticsearch.core.CreateRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.domain.IndexNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements in Elasticsearch through the asynchronous Java client: one index per tenant and
 * month, created with the tenant alias on first use, the mapping from the index template
 * {@code elasticsearch/measurements-template.json}. Each document is created with
 * {@code op_type=create} under the uplink id, so a re-delivered uplink answers 409 and is
 * reported as a duplicate instead of overwriting what was stored.
 *
 * <p>The client completes its futures on its own I/O threads; every result is handed back to the
 * caller's Vert.x context.
 */
public final class ElasticsearchMeasurementStore implements MeasurementStore {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchMeasurementStore.class);
  private static final String TEMPLATE_RESOURCE = "elasticsearch/measurements-template.json";
  private static final int CONNECT_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final IndexNames names;
  private final RestClientTransport transport;
  private final ElasticsearchAsyncClient client;
  private final String templateBody;
  /** Monthly indices this process has created (or found), so each is created once. */
  private final Map<String, Future<Void>> indices = new ConcurrentHashMap<>();
  private Future<Void> template;

  public ElasticsearchMeasurementStore(Vertx vertx, EnrichmentConfig config) {
    this.vertx = vertx;
    this.names = new IndexNames(config.indexPrefix());
    this.transport = new RestClientTransport(restClient(config), new JacksonJsonpMapper());
    this.client = new ElasticsearchAsyncClient(transport);
    this.templateBody = templateBody(names);
  }

  private static RestClient restClient(EnrichmentConfig config) {
    URI url = config.elasticsearchUrl();
    int port = url.getPort() != -1 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 9200);
    var builder = RestClient.builder(new HttpHost(url.getHost(), port, url.getScheme()))
        .setRequestConfigCallback(request -> request
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setSocketTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeoutMs())));
    if (url.getRawUserInfo() != null) {
      var credentials = Base64.getEncoder().encodeToString(url.getUserInfo().getBytes(StandardCharsets.UTF_8));
      builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Basic " + credentials)});
    }
    return builder.build();
  }

  /** The template of the resource file, applied to this prefix's indices. */
  static String templateBody(IndexNames names) {
    try (InputStream in = ElasticsearchMeasurementStore.class.getClassLoader().getResourceAsStream(TEMPLATE_RESOURCE)) {
      if (in == null) throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the class path");
      var template = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return template.put("index_patterns", new JsonArray().add(names.pattern())).encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized Future<Void> start() {
    if (template == null || template.failed()) {
      template = async(client.indices().putIndexTemplate(t -> t.withJson(new StringReader(templateBody)).name(names.template())))
          .<Void>mapEmpty()
          .recover(e -> Future.failedFuture(failure("install the index template " + names.template(), e)))
          .onSuccess(v -> LOG.info("index template {} installed for {}", names.template(), names.pattern()));
    }
    return template;
  }

  @Override
  public Future<StoreResult> store(Measurement measurement) {
    var id = measurement.id();
    String index;
    try {
      index = names.index(measurement.tenant(), measurement.receivedAt());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ApiException(500, "internal_error", "cannot store " + id + ": " + e.getMessage()));
    }
    var document = BinaryData.of(measurement.toJson().toBuffer().getBytes(), "application/json");
    return start()
        .compose(v -> ensureIndex(index, names.alias(measurement.tenant())))
        .compose(v -> async(client.create(CreateRequest.<BinaryData>of(c -> c.index(index).id(id).document(document)))))
        .map(created -> new StoreResult(id, index, created.result() != Result.Created))
        .recover(e -> isConflict(e)
            ? Future.succeededFuture(new StoreResult(id, index, true))
            : Future.failedFuture(failure("store " + id, e)));
  }

  /** Creates a monthly index with its tenant alias (mapping from the template), once per process. */
  private Future<Void> ensureIndex(String index, String alias) {
    var known = indices.get(index);
    if (known != null) return known;
    Future<Void> created = async(client.indices().create(c -> c.index(index).aliases(alias, a -> a)))
        .<Void>mapEmpty()
        .recover(e -> isAlreadyThere(e) ? Future.succeededFuture() : Future.failedFuture(e))
        .onSuccess(v -> LOG.debug("index {} ready behind alias {}", index, alias));
    var previous = indices.putIfAbsent(index, created);
    if (previous != null) return previous;
    created.onFailure(e -> indices.remove(index, created));
    return created;
  }

  @Override
  public Future<Void> ready() {
    return start()
        .compose(v -> async(client.cluster().health()))
        .recover(e -> Future.failedFuture(failure("report its health", e)))
        .compose(health -> health.status() == HealthStatus.Red
            ? Future.failedFuture("Elasticsearch cluster health is red")
            : Future.succeededFuture());
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      transport.close();
      return null;
    });
  }

  /** Back on the caller's context: the client completes on its own I/O threads. */
  private <T> Future<T> async(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  private static boolean isConflict(Throwable e) {
    return EsError.of(e).status() == 409;
  }

  private static boolean isAlreadyThere(Throwable e) {
    var error = EsError.of(e);
    return error.status() == 400 && "resource_already_exists_exception".equals(error.type());
  }

  /**
   * 503 when Elasticsearch is unreachable, overloaded (429) or failing (5xx): worth retrying;
   * 500 when it refuses the request (another 4xx): retrying will not help.
   */
  static ApiException failure(String what, Throwable e) {
    if (unwrap(e) instanceof ApiException api) return api;
    var error = EsError.of(e);
    if (error.status() >= 400 && error.status() < 500 && error.status() != 429) {
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
  record EsError(int status, String type, String reason) {
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
  }

  private static Throwable unwrap(Throwable e) {
    var cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
