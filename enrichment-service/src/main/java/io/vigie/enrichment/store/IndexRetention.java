package io.vigie.enrichment.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.enrichment.domain.IndexNames;
import io.vigie.enrichment.domain.RetentionPlan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole monthly indices past the retention ({@link RetentionPlan}), found by name among
 * {@code <prefix>-*}. Several instances may run it at once: deleting an index already gone is not an error.
 */
public final class IndexRetention {
  private static final Logger LOG = LoggerFactory.getLogger(IndexRetention.class);

  private final Elasticsearch es;
  private final IndexNames names;
  private final int months;
  private final MeasurementStore store;
  private final Clock clock;

  public IndexRetention(Elasticsearch es, String indexPrefix, int months, MeasurementStore store, Clock clock) {
    this.es = es;
    this.names = new IndexNames(indexPrefix);
    this.months = months;
    this.store = store;
    this.clock = clock;
  }

  /** One pass: the indices it deleted. */
  public Future<List<String>> run() {
    return es.jsonArray("GET", "/_cat/indices/" + names.pattern(), Map.of("format", "json", "h", "index", "expand_wildcards", "open,closed"))
        .recover(e -> Future.failedFuture(Elasticsearch.failure("list the indices " + names.pattern(), e)))
        .compose(listing -> {
          var all = new ArrayList<String>();
          listing.forEach(row -> all.add(((JsonObject) row).getString("index")));
          var expired = RetentionPlan.expired(all, names, months, clock.instant());
          Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
          for (var index : expired) {
            chain = chain.compose(deleted -> delete(index).map(v -> {
              deleted.add(index);
              return deleted;
            }));
          }
          return chain;
        });
  }

  private Future<Void> delete(String index) {
    return es.json("DELETE", "/" + index, Map.of("ignore_unavailable", "true"), null)
        .recover(e -> Future.failedFuture(Elasticsearch.failure("delete the index " + index, e)))
        .onSuccess(v -> {
          store.forget(index);
          LOG.info("retention: deleted index {} (its month is more than {} months old)", index, months);
        })
        .mapEmpty();
  }
}
