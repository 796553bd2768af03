package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vigie.alert.api.AlertRoutes;
import io.vigie.alert.config.AlertConfig;
import io.vigie.alert.domain.AlertStateMachine;
import io.vigie.alert.domain.RuleSet;
import io.vigie.alert.domain.ThresholdAboveRule;
import io.vigie.alert.notify.Notifications;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alert service: rule evaluation on every stored measurement, alert state in Redis, the alerts API. */
public final class AlertService implements ServiceModule {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  @Override
  public String name() {
    return "alert";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context) {
    var settings = AlertConfig.from(config);
    var redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(settings.redisUrl())
        .setMaxPoolSize(8).setMaxPoolWaiting(512));
    var store = new RedisAlertStore(redis);
    context.readinessCheck("redis", store::ping);
    var rule = ThresholdAboveRule.defaultTemperature(settings.temperatureAbove());
    var machine = new AlertStateMachine(RuleSet.of(List.of(rule)), () -> UUID.randomUUID().toString());
    var notifications = new Notifications(vertx, settings.redisUrl(), settings.notifications(), config, context);
    var verifier = new TokenVerifier(vertx);
    return vertx.deployVerticle(new AlertVerticle(store, machine, context.meters()))
        .compose(id -> notifications.deploy(vertx))
        .onSuccess(id -> LOG.info("alert rule {}: {} above {}", rule.id(), rule.measurement(), rule.threshold()))
        .map(id -> {
          var router = AlertRoutes.router(vertx, store, verifier);
          notifications.mount(router, verifier);
          return router;
        });
  }
}
