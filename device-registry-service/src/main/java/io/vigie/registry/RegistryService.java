package io.vigie.registry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.elastic.ElasticHttp;
import io.vigie.registry.api.AuditRoutes;
import io.vigie.registry.api.AuthRoutes;
import io.vigie.registry.api.Changes;
import io.vigie.registry.api.ClientRoutes;
import io.vigie.registry.api.DeviceChangeRoutes;
import io.vigie.registry.api.DeviceImportRoutes;
import io.vigie.registry.api.DeviceRoutes;
import io.vigie.registry.api.CodecExamples;
import io.vigie.registry.api.DeviceTypeRoutes;
import io.vigie.registry.api.NodeChangeRoutes;
import io.vigie.registry.api.NodeRoutes;
import io.vigie.registry.api.OpenApiRoutes;
import io.vigie.registry.api.TenantRoutes;
import io.vigie.registry.api.UserChangeRoutes;
import io.vigie.registry.api.UserRoutes;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.auth.TokenIssuer;
import io.vigie.registry.config.RegistryConfig;
import io.vigie.registry.domain.PasswordHasher;
import io.vigie.registry.domain.SecretBox;
import io.vigie.registry.store.AuditTrail;
import io.vigie.registry.store.KeyFiles;
import io.vigie.registry.store.LoginThrottle;
import io.vigie.registry.store.RedisClientStore;
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
  /** Registry lookups that may wait for one of the 8 Redis connections at once. */
  private static final int LOOKUPS_WAITING = 65_536;

  /** What is read from files before starting: the two secrets and the OpenAPI document. */
  private record Loaded(KeyFiles.KeyRing keys, byte[] masterKey, OpenApiRoutes openApi) {}

  /** How often the signing key's age and the retired keys are checked (and another instance's rotation seen). */
  static final long KEY_CHECK_MS = 60_000;
  private long keyCheckMs = KEY_CHECK_MS;
  /** Longer than {@code TokenVerifier}'s 30 s between fetches of the keys. */
  private long keyPublishAheadMs = 35_000;

  /** How long to wait for another service on the bus (the decoder running codec examples). */
  private long busTimeoutMs;

  /** The signing keys, retired after {@code auth.jwtKeyMaxAgeDays}, kept while their tokens may be valid. */
  static KeyFiles.KeyRing keyRing(RegistryConfig config) {
    return KeyFiles.keyRing(config.jwtKeyFile(), java.time.Duration.ofDays(config.jwtKeyMaxAgeDays()),
        java.time.Duration.ofSeconds(config.tokenTtlSeconds() + 300L), java.time.Instant.now());
  }

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig vigieConfig, ServiceContext context) {
    busTimeoutMs = vigieConfig.requestTimeoutMs();
    keyPublishAheadMs = Math.max(0, VigieConfig.integer(vigieConfig.raw(), "auth.jwtKeyPublishAheadMs", 35_000));
    keyCheckMs = Math.max(100, VigieConfig.integer(vigieConfig.raw(), "auth.jwtKeyCheckMs", (int) KEY_CHECK_MS));
    RegistryConfig config;
    try {
      config = RegistryConfig.from(vigieConfig);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    LOG.info("starting with {}", config);
    // lookups come in storms (a restarted platform hears thousands of devices within a second, each looked up once):
    // they wait for a connection instead of being refused; the bound is far above a storm's size (a few lookups per
    // device), so that only a runaway caller meets it (the cluster client needs one, at least the pool's size)
    var redis = RedisClients.create(vertx, config.redisUrl(), new RedisOptions()
        .setMaxPoolSize(8).setMaxPoolWaiting(LOOKUPS_WAITING).setMaxWaitingHandlers(4096));
    context.readinessCheck("redis", () -> redis.send(Request.cmd(Command.PING)));

    return vertx.executeBlocking(() -> new Loaded(keyRing(config),
            config.masterKey() != null ? config.masterKey() : KeyFiles.masterKey(config.masterKeyFile()),
            OpenApiRoutes.load()), false)
        .compose(loaded -> redis.send(Request.cmd(Command.PING))
            .recover(e -> Future.failedFuture(new IllegalStateException("cannot reach Redis at "
                + config.redisUrlForLogs() + ": " + e.getMessage(), e)))
            .compose(pong -> start(vertx, config, vigieConfig, context, redis, loaded)));
  }

  private Future<Router> start(Vertx vertx, RegistryConfig config, VigieConfig vigie, ServiceContext context, Redis redis,
                               Loaded loaded) {
    // a deleted node id stays unusable while tokens issued before its deletion may still name it
    var nodes = new RedisNodeStore(redis, config.tokenTtlSeconds());
    var devices = new RedisDeviceStore(redis, new SecretBox(loaded.masterKey()));
    var users = new RedisUserStore(redis);
    var clients = new RedisClientStore(redis);
    var passwords = new Passwords(vertx, PasswordHasher.DEFAULT);
    var issuer = new TokenIssuer(vertx, loaded.keys(), config.tokenTtlSeconds(), keyPublishAheadMs);
    vertx.setPeriodic(keyCheckMs, id -> vertx.executeBlocking(() -> keyRing(config), false)
        .onSuccess(issuer::use)
        .onFailure(e -> LOG.warn("cannot check the JWT signing keys: {}", e.getMessage())));
    var throttle = new LoginThrottle(redis, new LoginThrottle.Limits(config.maxFailuresPerUser(),
        config.maxFailuresPerIp(), config.throttleWindowSeconds(), config.throttleFirstDelaySeconds(),
        config.throttleMaxDelaySeconds()));
    var changes = new Changes(vertx, new AuditLog(redis));
    var trail = config.elasticsearchUrl() == null ? null
        : new AuditTrail(new ElasticHttp(vertx, config.elasticsearchUrl(), config.requestTimeoutMs(),
            vigie.elasticsearchShards(), vigie.elasticsearchReplicas()), config.auditIndex());
    if (trail == null) LOG.warn("no elasticsearch.url (VIGIE_ES_URL): the audit trail is recorded but not indexed");

    // the dummy hash unknown usernames are checked against is made while bootstrapping, ready for the first login
    return Future.all(passwords.verifyUnknownUser("warm-up"),
            new Bootstrap(redis, nodes, users, passwords, config.adminPassword(), System.out).run())
        .compose(ignored -> vertx.deployVerticle(new RegistryVerticle(issuer, nodes, devices)))
        .compose(ignored -> vertx.deployVerticle(new KeysVerticle(devices)))
        .compose(ignored -> trail == null ? Future.succeededFuture() : trail.ensureIndex()
            // Elasticsearch down: the indexer keeps trying; logins and the rest do not wait for it
            .recover(e -> {
              LOG.warn("audit index not ready yet, retried by the indexer: {}", e.getMessage());
              return Future.succeededFuture();
            })
            .compose(ready -> vertx.deployVerticle(trail.indexer(redis, 2000))))
        .map(ignored -> {
          var router = Router.router(vertx);
          var auth = new AuthHandler(new TokenVerifier(vertx));
          new AuthRoutes(issuer, passwords, users, clients, throttle, context.meters()).mount(router);
          loaded.openApi().mount(router);
          new TenantRoutes(nodes, passwords, changes).mount(router, auth);
          new NodeRoutes(nodes, changes).mount(router, auth);
          new NodeChangeRoutes(nodes, changes).mount(router, auth);
          new DeviceTypeRoutes(devices, changes, new CodecExamples(vertx.eventBus(), busTimeoutMs)).mount(router, auth);
          new DeviceImportRoutes(nodes, devices, changes, config.importMaxRows()).mount(router, auth);
          new DeviceRoutes(nodes, devices, changes).mount(router, auth);
          new DeviceChangeRoutes(nodes, devices, changes).mount(router, auth);
          new UserRoutes(nodes, users, passwords, changes).mount(router, auth);
          new UserChangeRoutes(nodes, users, passwords, changes).mount(router, auth);
          new ClientRoutes(nodes, clients, passwords, changes).mount(router, auth);
          new AuditRoutes(trail, nodes).mount(router, auth);
          LOG.info("registry ready: signing key {}", issuer.kid());
          return router;
        });
  }
}
