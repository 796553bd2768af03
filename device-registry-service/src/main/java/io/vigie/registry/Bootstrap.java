package io.vigie.registry;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.auth.Role;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.store.Outcome;
import io.vigie.registry.store.RedisKeys;
import io.vigie.registry.store.UserStore;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start of an empty registry: tenant {@code default}, its root node, and user {@code admin}. One instance
 * does it (SET NX on {@code vigie:bootstrap}, expiring if it dies half-way); every step is create-if-absent, so
 * a retry is harmless. A generated password is printed once, on stdout only.
 */
final class Bootstrap {
  static final String TENANT = "default";
  static final String ADMIN = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private final Redis redis;
  private final NodeStore nodes;
  private final UserStore users;
  private final Passwords passwords;
  private final String configuredPassword;
  private final PrintStream console;

  Bootstrap(Redis redis, NodeStore nodes, UserStore users, Passwords passwords, String configuredPassword,
            PrintStream console) {
    this.redis = redis;
    this.nodes = nodes;
    this.users = users;
    this.passwords = passwords;
    this.configuredPassword = configuredPassword;
    this.console = console;
  }

  Future<Void> run() {
    var key = RedisKeys.bootstrap();
    return redis.send(Request.cmd(Command.SET).arg(key).arg("running:" + UUID.randomUUID()).arg("NX").arg("EX").arg(120))
        .compose(won -> {
          if (won == null) {
            LOG.debug("registry already bootstrapped, or being bootstrapped by another instance");
            return Future.<Void>succeededFuture();
          }
          return createDefaults()
              .compose(ignored -> redis.send(Request.cmd(Command.SET).arg(key).arg("done " + Instant.now())))
              .<Void>mapEmpty()
              .onFailure(e -> redis.send(Request.cmd(Command.DEL).arg(key)));
        });
  }

  private Future<Void> createDefaults() {
    var generated = configuredPassword == null;
    var password = generated ? Passwords.generate() : configuredPassword;
    return nodes.createTenant(TENANT, "Default")
        .onSuccess(outcome -> {
          if (outcome == Outcome.OK) LOG.info("bootstrap: created tenant '{}'", TENANT);
        })
        .compose(ignored -> passwords.hash(password))
        .compose(hash -> users.create(new User(ADMIN, TENANT, Role.ADMIN, List.of(TENANT), hash)))
        .map(outcome -> {
          if (outcome == Outcome.OK) {
            LOG.info("bootstrap: created user '{}' (role admin, tenant '{}'){}", ADMIN, TENANT,
                generated ? "; its generated password is printed on stdout, once" : " with the configured password");
            if (generated) print(password);
          } else {
            LOG.info("bootstrap: user '{}' already exists, left as is", ADMIN);
          }
          return null;
        });
  }

  private void print(String password) {
    var rule = "=".repeat(76);
    console.println();
    console.println(rule);
    console.println("  Vigie first start: created user 'admin' (tenant 'default').");
    console.println("  admin password (shown once): " + password);
    console.println("  Keep it now: it is not stored in clear and will not be shown again.");
    console.println("  (Set VIGIE_ADMIN_PASSWORD before the first start to choose it.)");
    console.println(rule);
    console.println();
    console.flush();
  }
}
