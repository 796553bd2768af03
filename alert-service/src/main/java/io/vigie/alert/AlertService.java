package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.RedisOptions;
import io.vigie.alert.api.AlertRoutes;
import io.vigie.alert.api.RuleRoutes;
import io.vigie.alert.config.AlertConfig;
import io.vigie.alert.history.AlertHistory;
import io.vigie.alert.store.AlertTransitions;
import io.vigie.alert.notify.Notifications;
import io.vigie.common.audit.AuditLog;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.alert.store.RuleStore;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.elastic.ElasticHttp;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert service: rules (Redis, cached), evaluation of every stored measurement, timers (no data, escalation),
 * security events, the alerts and rules API, and the history indexer (Elasticsearch).
 */
public final class AlertService implements ServiceModule {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
  private final Clock clock;
  private TimerVerticle timers;

  public AlertService() {
    this(Clock.systemUTC());
  }

  /** @param clock what timers and people's actions are dated with (tests move it) */
  public AlertService(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "alert";
  }

  /** Fires the timers due at the clock's time now; how many transitions that made (tests drive it). */
  public Future<Integer> tick() {
    return timers.tickFromAnywhere();
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
    var settings = AlertConfig.from(config);
    var redis = RedisClients.create(vertx, settings.redisUrl(), new RedisOptions()
        .setMaxPoolSize(8).setMaxPoolWaiting(512));
    var store = new RedisAlertStore(redis);
    context.readinessCheck("redis", store::ping);
    var rules = new RuleStore(vertx, redis, settings.temperatureAbove());
    var registry = new RegistryClient(vertx, RegistryClientConfig.from(config), context.meters(), name());
    var events = new AlertEvents(vertx, context.meters());
    Supplier<String> ids = () -> UUID.randomUUID().toString();
    var wiring = new Wiring(store, new AlertTransitions(store), rules, registry, events, ids, clock, context.meters());
    timers = new TimerVerticle(wiring, settings.tickMs());
    var history = settings.elasticsearchUrl() == null ? null
        : new AlertHistory(new ElasticHttp(vertx, settings.elasticsearchUrl(), settings.requestTimeoutMs(),
            config.elasticsearchShards(), config.elasticsearchReplicas()), settings.historyIndex());
    if (history == null) LOG.warn("no elasticsearch.url (VIGIE_ES_URL): the alert history is not indexed");
    Future<?> indexer = history == null ? Future.succeededFuture()
        : vertx.deployVerticle(history.indexer(redis, 2000));
    var audit = new AuditLog(redis);
    var notifications = new Notifications(vertx, settings.redisUrl(), settings.notifications(), config, context, clock);
    return Future.all(rules.listen(), registry.listen(), indexer)
        .compose(ok -> vertx.deployVerticle(new AlertVerticle(wiring)))
        .compose(ok -> vertx.deployVerticle(timers))
        .compose(ok -> vertx.deployVerticle(new SecurityAlerts(wiring)))
        .compose(ok -> vertx.deployVerticle(new OpenAlertsVerticle(wiring)))
        .compose(ok -> notifications.deploy(vertx))
        .onSuccess(ok -> LOG.info("alert service: default temperature rule above {} for new tenants, timers every {} ms",
            settings.temperatureAbove(), settings.tickMs()))
        .map(ok -> {
          var router = Router.router(vertx);
          var verifier = new TokenVerifier(vertx);
          var auth = new AuthHandler(verifier);
          new AlertRoutes(store, history, events::publish, clock, audit).mount(vertx, router, auth);
          new RuleRoutes(rules, registry, audit).mount(router, auth);
          notifications.mount(router, verifier, audit);
          return router;
        });
  }
}
