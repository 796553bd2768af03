package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.enrichment.api.HistoryRoutes;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.store.BulkWriter;
import io.vigie.enrichment.store.Elasticsearch;
import io.vigie.enrichment.store.ElasticsearchHistoryStore;
import io.vigie.enrichment.store.ElasticsearchMeasurementStore;
import io.vigie.enrichment.store.IndexRetention;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import java.time.Clock;

/**
 * The enrichment service: consumes {@code uplink.decoded}, adds the registry's context (forwarded by the decoder, else
 * from one {@link RegistryClient} that the history API's access checks share), stores
 * the measurement in Elasticsearch, has the alert service evaluate it and publishes it; serves the
 * history API ({@code /api/v1/history/**}) and applies the index retention.
 * Readiness check {@code enrichment/elasticsearch}.
 */
public final class EnrichmentService implements ServiceModule {

  @Override
  public String name() {
    return "enrichment";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
    var enrichment = EnrichmentConfig.from(config);
    // building the Elasticsearch client loads a few thousand classes (seconds on a cold JVM): off the event loop
    return vertx.executeBlocking(() -> new Elasticsearch(vertx, enrichment))
        .compose(es -> deploy(vertx, config, context, enrichment, es));
  }

  private Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context, EnrichmentConfig enrichment,
                                Elasticsearch es) {
    var writer = new BulkWriter(es, enrichment.bulk(), context.meters());
    var store = new ElasticsearchMeasurementStore(es, enrichment.indexPrefix(), enrichment.shards(), enrichment.replicas(),
        writer);
    context.readinessCheck("elasticsearch", store::ready);
    var metrics = new EnrichmentMetrics(context.meters());
    var history = new ElasticsearchHistoryStore(es, enrichment.indexPrefix());
    var clock = Clock.systemUTC();
    var registry = new RegistryClient(vertx, RegistryClientConfig.from(config), context.meters(), name());
    return vertx.deployVerticle(writer)
        .compose(id -> vertx.deployVerticle(new EnrichmentVerticle(enrichment, store, metrics, registry)))
        .compose(id -> enrichment.retentionMonths() == 0 ? Future.succeededFuture(id)
            : vertx.deployVerticle(new RetentionVerticle(
                new IndexRetention(es, enrichment.indexPrefix(), enrichment.retentionMonths(), store, clock), enrichment.retentionMonths())))
        .map(id -> HistoryRoutes.router(vertx, history, new TokenVerifier(vertx), registry, clock));
  }
}
