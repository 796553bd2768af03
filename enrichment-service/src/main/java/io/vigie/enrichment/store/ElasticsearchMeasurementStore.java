package io.vigie.enrichment.store;

import co.elastic.clients.elasticsearch._types.HealthStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Measurement;
import io.vigie.enrichment.domain.DerivedFields;
import io.vigie.enrichment.domain.IndexNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements in Elasticsearch: one index per tenant and month, created with the tenant alias on
 * first use, the mapping from the index template {@code elasticsearch/measurements-template.json}.
 * Documents go through the {@link BulkWriter} with {@code op_type=create} under the uplink id, so a
 * re-delivered uplink answers 409 and is reported as a duplicate instead of overwriting what was stored.
 */
public final class ElasticsearchMeasurementStore implements MeasurementStore {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchMeasurementStore.class);
  private static final String TEMPLATE_RESOURCE = "elasticsearch/measurements-template.json";
  static final Map<String, String> MISSING_IS_EMPTY = Map.of("ignore_unavailable", "true", "allow_no_indices", "true");

  private final Elasticsearch es;
  private final IndexNames names;
  private final String templateBody;
  private final BulkWriter writer;
  /** Monthly indices this process has created (or found), so each is created once. */
  private final Map<String, Future<Void>> indices = new ConcurrentHashMap<>();
  private Future<Void> template;

  /** The writer must be deployed (it is a verticle) before anything is stored. */
  public ElasticsearchMeasurementStore(Elasticsearch es, String indexPrefix, int shards, int replicas, BulkWriter writer) {
    this.es = es;
    this.names = new IndexNames(indexPrefix);
    this.templateBody = templateBody(names, shards, replicas);
    this.writer = writer;
  }

  /** The template of the resource file, applied to this prefix's indices, with their shards and replicas. */
  static String templateBody(IndexNames names, int shards, int replicas) {
    try (InputStream in = ElasticsearchMeasurementStore.class.getClassLoader().getResourceAsStream(TEMPLATE_RESOURCE)) {
      if (in == null) throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the class path");
      var template = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      template.getJsonObject("template").getJsonObject("settings").getJsonObject("index")
          .put("number_of_shards", shards).put("number_of_replicas", replicas);
      return template.put("index_patterns", new JsonArray().add(names.pattern())).encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized Future<Void> start() {
    if (template == null || template.failed()) {
      template = es.async(es.client().indices().putIndexTemplate(t -> t.withJson(new StringReader(templateBody)).name(names.template())))
          .<Void>mapEmpty()
          .recover(e -> Future.failedFuture(Elasticsearch.failure("install the index template " + names.template(), e)))
          .onSuccess(v -> LOG.info("index template {} installed for {}", names.template(), names.pattern()))
          .compose(v -> upgradeMappings());
    }
    return template;
  }

  /**
   * Adds the template's new fields to the indices that exist already (the current month's above all), so that an
   * upgraded service indexes them at once rather than from next month, and gives them its refresh and replicas. Best effort: an index that refuses (a
   * conflicting mapping made by hand) keeps its mapping, and the service starts anyway.
   */
  private Future<Void> upgradeMappings() {
    var template = new JsonObject(templateBody).getJsonObject("template");
    var mappings = template.getJsonObject("mappings");
    // the replicas of the existing indices follow VIGIE_ES_REPLICAS too (their shards cannot change); the refresh
    // interval that templates up to version 5 set to 1s goes back to the default: refreshed every second while
    // searched; none while nobody searches (the first search then waits for one, within a second, and sees everything)
    var settings = new JsonObject().put("index", new JsonObject().put("refresh_interval", null)
        .put("number_of_replicas", template.getJsonObject("settings").getJsonObject("index").getValue("number_of_replicas")));
    return es.json("PUT", "/" + names.pattern() + "/_mapping", MISSING_IS_EMPTY, mappings)
        .compose(ok -> es.json("PUT", "/" + names.pattern() + "/_settings", MISSING_IS_EMPTY, settings))
        .onFailure(e -> LOG.warn("the mapping or settings of the existing indices {} were not brought up to date: {}", names.pattern(),
            Elasticsearch.failure("update their mapping", e).getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  @Override
  public Future<List<StoreResult>> storeAll(List<Measurement> measurements, List<JsonObject> documents) {
    var docs = new ArrayList<BulkWriter.Doc>(measurements.size());
    var aliases = new LinkedHashMap<String, String>();
    for (int i = 0; i < measurements.size(); i++) {
      var measurement = measurements.get(i);
      String index;
      try {
        index = names.index(measurement.tenant(), measurement.receivedAt());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new ApiException(500, "internal_error", "cannot store " + measurement.id() + ": " + e.getMessage()));
      }
      aliases.put(index, names.alias(measurement.tenant()));
      docs.add(new BulkWriter.Doc(index, measurement.id(), documents.get(i)));
    }
    return start()
        .compose(v -> Future.all(aliases.entrySet().stream().map(e -> ensureIndex(e.getKey(), e.getValue())).toList()))
        .recover(e -> Future.failedFuture(Elasticsearch.failure("prepare the indices " + aliases.keySet(), e)))
        .compose(v -> writer.createAll(docs))
        .map(duplicates -> {
          var results = new ArrayList<StoreResult>(docs.size());
          for (int i = 0; i < docs.size(); i++) results.add(new StoreResult(docs.get(i).id(), docs.get(i).index(), duplicates.get(i)));
          return results;
        });
  }

  /** Creates a monthly index with its tenant alias (mapping from the template), or adds the alias; once per process. */
  private Future<Void> ensureIndex(String index, String alias) {
    var known = indices.get(index);
    if (known != null) return known;
    Future<Void> created = es.async(es.client().indices().create(c -> c.index(index).aliases(alias, a -> a)))
        .<Void>mapEmpty()
        .recover(e -> isAlreadyThere(e)
            // made by another instance, or by a write that found no index: make sure it is behind the alias
            ? es.json("PUT", "/" + index + "/_alias/" + alias, Map.of(), null).mapEmpty()
            : Future.failedFuture(e))
        .onSuccess(v -> LOG.debug("index {} ready behind alias {}", index, alias));
    var previous = indices.putIfAbsent(index, created);
    if (previous != null) return previous;
    created.onFailure(e -> indices.remove(index, created));
    return created;
  }

  @Override
  public void forget(String index) {
    indices.remove(index);
  }

  @Override
  public Future<Optional<DerivedFields.Last>> last(String tenant, String devEui) {
    var query = new JsonObject().put("size", 1).put("track_total_hits", false)
        .put("_source", new JsonArray().add("fCnt").add("receivedAt").add("sincePreviousMs").add("fCntGap"))
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray()
            .add(HistoryQueries.term("tenant", tenant)).add(HistoryQueries.term("devEui", devEui)))))
        .put("sort", new JsonArray().add(HistoryQueries.sort("receivedAt", "desc")).add(HistoryQueries.sort("fCnt", "desc")));
    return es.json("POST", "/" + names.alias(tenant) + "/_search", MISSING_IS_EMPTY, query)
        .map(answer -> {
          var hits = answer.getJsonObject("hits", new JsonObject()).getJsonArray("hits", new JsonArray());
          if (hits.isEmpty()) return Optional.<DerivedFields.Last>empty();
          var source = hits.getJsonObject(0).getJsonObject("_source");
          var derived = new JsonObject();
          if (source.getValue("sincePreviousMs") != null) derived.put("sincePreviousMs", source.getLong("sincePreviousMs"));
          if (source.getValue("fCntGap") != null) derived.put("fCntGap", source.getLong("fCntGap"));
          return Optional.of(new DerivedFields.Last(source.getLong("fCnt"), Instant.parse(source.getString("receivedAt")), derived));
        });
  }

  @Override
  public Future<Void> ready() {
    return writer.healthy().compose(ok -> start()
        .compose(v -> es.async(es.client().cluster().health()))
        .recover(e -> Future.failedFuture(Elasticsearch.failure("report its health", e)))
        .compose(health -> health.status() == HealthStatus.Red
            ? Future.failedFuture("Elasticsearch cluster health is red")
            : Future.succeededFuture()));
  }

  @Override
  public Future<Void> close() {
    return es.close();
  }

  private static boolean isAlreadyThere(Throwable e) {
    var error = Elasticsearch.EsError.of(e);
    return error.status() == 400 && "resource_already_exists_exception".equals(error.type());
  }
}
