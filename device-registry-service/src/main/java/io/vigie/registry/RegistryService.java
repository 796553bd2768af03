package io.vigie.registry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.registry.api.AuthRoutes;
import io.vigie.registry.api.Changes;
import io.vigie.registry.api.DeviceRoutes;
import io.vigie.registry.api.DeviceTypeRoutes;
import io.vigie.registry.api.NodeRoutes;
import io.vigie.registry.api.UserRoutes;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.auth.TokenIssuer;
import io.vigie.registry.config.RegistryConfig;
import io.vigie.registry.domain.PasswordHasher;
import io.vigie.registry.domain.SecretBox;
import io.vigie.registry.domain.SigningKey;
import io.vigie.registry.store.KeyFiles;
import io.vigie.registry.store.LoginThrottle;
import io.vigie.registry.store.RedisDeviceStore;
import io.vigie.registry.store.RedisNodeStore;
import io.vigie.registry.store.RedisUserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * device-registry-service: tenants, the hierarchy, device types, devices (keys sealed at rest), users and JWT
 * issuing, stored in Redis. Serves its REST routes and answers registry requests on the bus.
 */
public final class RegistryService implements ServiceModule {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

  private record Secrets(SigningKey signingKey, byte[] masterKey) {}

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig vigieConfig, ServiceContext context) {
    RegistryConfig config;
    try {
      config = RegistryConfig.from(vigieConfig);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    LOG.info("starting with {}", config);
    var redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(8).setMaxWaitingHandlers(4096));
    context.readinessCheck("redis", () -> redis.send(Request.cmd(Command.PING)));

    return vertx.executeBlocking(() -> new Secrets(KeyFiles.signingKey(config.jwtKeyFile()),
            config.masterKey() != null ? config.masterKey() : KeyFiles.masterKey(config.masterKeyFile())), false)
        .compose(secrets -> redis.send(Request.cmd(Command.PING))
            .recover(e -> Future.failedFuture(new IllegalStateException("cannot reach Redis at "
                + config.redisUrlForLogs() + ": " + e.getMessage(), e)))
            .compose(pong -> start(vertx, config, context, redis, secrets)));
  }

  private Future<Router> start(Vertx vertx, RegistryConfig config, ServiceContext context, Redis redis, Secrets secrets) {
    var nodes = new RedisNodeStore(redis);
    var devices = new RedisDeviceStore(redis, new SecretBox(secrets.masterKey()));
    var users = new RedisUserStore(redis);
    var passwords = new Passwords(vertx, PasswordHasher.DEFAULT);
    var issuer = new TokenIssuer(vertx, secrets.signingKey(), config.tokenTtlSeconds());
    var throttle = new LoginThrottle(redis, config.maxFailuresPerUser(), config.maxFailuresPerIp(),
        config.throttleWindowSeconds());
    var changes = new Changes(vertx);

    // the dummy hash unknown usernames are checked against is made while bootstrapping, ready for the first login
    return Future.all(passwords.verifyUnknownUser("warm-up"),
            new Bootstrap(redis, nodes, users, passwords, config.adminPassword(), System.out).run())
        .compose(ignored -> vertx.deployVerticle(new RegistryVerticle(issuer, nodes, devices)))
        .map(ignored -> {
          var router = Router.router(vertx);
          var auth = new AuthHandler(new TokenVerifier(vertx));
          new AuthRoutes(issuer, passwords, users, throttle, context.meters()).mount(router);
          new NodeRoutes(nodes, changes).mount(router, auth);
          new DeviceTypeRoutes(devices, changes).mount(router, auth);
          new DeviceRoutes(nodes, devices, changes).mount(router, auth);
          new UserRoutes(nodes, users, passwords, changes).mount(router, auth);
          LOG.info("registry ready: signing key {}", secrets.signingKey().kid());
          return router;
        });
  }
}
