package io.vigie.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.realtime.api.DashboardRoutes;
import io.vigie.realtime.api.LiveEndpoint;
import io.vigie.realtime.api.LiveHub;
import io.vigie.realtime.api.SubscriptionGuard;
import io.vigie.realtime.config.RealtimeConfig;
import io.vigie.realtime.store.BusOpenAlerts;
import io.vigie.realtime.store.ElasticsearchLatestValues;
import io.vigie.realtime.store.LatestValues;
import io.vigie.realtime.store.RegistryTargetScopes;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;

/** The realtime service: live pushes over {@code /ws} and SockJS, each subscription authorised and starting with a snapshot; the dashboard at {@code /}. */
public final class RealtimeService implements ServiceModule {

  @Override
  public String name() {
    return "realtime";
  }

  /**
   * One HTTP server per core: each socket lives on its server's event loop, and the hub hands a push to each loop in
   * one task, so the sockets' writes are spread over the cores. Every handler here is safe from several loops.
   */
  @Override
  public int httpInstances() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
    var settings = RealtimeConfig.from(config);
    var cache = RegistryClientConfig.from(config);
    var registry = new RegistryClient(vertx, new RegistryClientConfig(cache.size(), cache.ttlMs(), cache.unknownTtlMs(),
        settings.registryTimeoutMs()), context.meters(), name());
    var scopes = new RegistryTargetScopes(registry);
    var guard = new SubscriptionGuard(scopes, context.meters(), settings.authCacheSeconds() * 1000L);
    LatestValues measurements = (target, principal) -> Future.succeededFuture(LatestValues.Snapshot.unavailable());
    if (settings.elasticsearchUrl() != null) {
      var elasticsearch = new ElasticsearchLatestValues(vertx, settings.elasticsearchUrl(), settings.indexPrefix(),
          settings.snapshotMaxDevices(), settings.snapshotTimeoutMs());
      context.readinessCheck("elasticsearch", elasticsearch::ready);
      measurements = elasticsearch;
    }
    var latest = new BusOpenAlerts(vertx, settings.snapshotTimeoutMs(), measurements);
    var hub = new LiveHub();
    var live = new LiveEndpoint(vertx, new LiveEndpoint.Services(settings, new TokenVerifier(vertx), guard, latest, hub,
        context.meters()));
    return vertx.deployVerticle(new RealtimeVerticle(context.meters(), registry, hub, guard::invalidate))
        .map(id -> {
          var router = live.router();
          DashboardRoutes.mount(vertx, router);
          return router;
        });
  }
}
