package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.auth.Role;
import io.vigie.registry.domain.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link UserStore} on Redis: a hash per user plus the tenant's set of usernames. */
public final class RedisUserStore implements UserStore {
  private final Redis redis;

  public RedisUserStore(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Future<Outcome> create(User user) {
    var args = new ArrayList<>(List.of(user.username()));
    args.addAll(Scripts.fields("username", user.username(), "tenant", user.tenant(), "role", user.role().wire(),
        "scopes", new JsonArray(user.scopes()).encode(), "passwordHash", user.passwordHash(),
        "createdAt", Instant.now().toString()));
    return Scripts.eval(redis, Scripts.CREATE_USER,
            List.of(RedisKeys.user(user.username()), RedisKeys.tenantUsers(user.tenant())), args)
        .map(Outcome::of);
  }

  @Override
  public Future<User> get(String username) {
    return redis.send(Request.cmd(Command.HMGET).arg(RedisKeys.user(username))
            .arg("username").arg("tenant").arg("role").arg("scopes").arg("passwordHash"))
        .map(response -> {
          var v = Scripts.strings(response);
          if (v.get(0) == null) return null;
          var scopes = new JsonArray(v.get(3)).stream().map(String::valueOf).toList();
          return new User(v.get(0), v.get(1), Role.fromWire(v.get(2)), scopes, v.get(4));
        });
  }
}
