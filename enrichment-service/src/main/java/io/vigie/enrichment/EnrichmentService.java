package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.enrichment.config.EnrichmentConfig;
import io.vigie.enrichment.store.ElasticsearchMeasurementStore;

/**
 * The enrichment service: consumes {@code uplink.decoded}, adds the registry's context, stores
 * the measurement in Elasticsearch, has the alert service evaluate it and publishes it.
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
    var store = new ElasticsearchMeasurementStore(vertx, enrichment);
    context.readinessCheck("elasticsearch", store::ready);
    var metrics = new EnrichmentMetrics(context.meters());
    return vertx.deployVerticle(new EnrichmentVerticle(enrichment, store, metrics))
        .map(id -> Router.router(vertx));
  }
}
