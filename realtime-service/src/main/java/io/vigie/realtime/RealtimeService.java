package io.vigie.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.realtime.api.DashboardRoutes;
import io.vigie.realtime.api.EventBusBridge;
import io.vigie.realtime.api.SubscriptionGuard;
import io.vigie.realtime.config.RealtimeConfig;
import io.vigie.realtime.store.RegistryTargetScopes;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;

/** The realtime service: the SockJS event-bus bridge with per-subscription authorisation, and the dashboard at {@code /}. */
public final class RealtimeService implements ServiceModule {

  @Override
  public String name() {
    return "realtime";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
    var settings = RealtimeConfig.from(config);
    var cache = RegistryClientConfig.from(config);
    var registry = new RegistryClient(vertx, new RegistryClientConfig(cache.size(), cache.ttlMs(), cache.unknownTtlMs(),
        settings.registryTimeoutMs()), context.meters(), name());
    var scopes = new RegistryTargetScopes(registry);
    var guard = new SubscriptionGuard(new TokenVerifier(vertx), scopes, context.meters(),
        settings.authCacheSeconds() * 1000L);
    return vertx.deployVerticle(new RealtimeVerticle(context.meters(), registry, guard::invalidate))
        .map(id -> {
          var router = EventBusBridge.router(vertx, guard, settings.maxSubscriptionsPerSocket());
          DashboardRoutes.mount(vertx, router);
          return router;
        });
  }
}
