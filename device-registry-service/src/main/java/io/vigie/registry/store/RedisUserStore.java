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
import java.util.Comparator;
import java.util.List;

/** {@link UserStore} on Redis: a hash per user plus the tenant's set of usernames. */
public final class RedisUserStore implements UserStore {
  private static final String KIND = "user";

  private final Redis redis;

  public RedisUserStore(Redis redis) {
    this.redis = redis;
  }

  /** The hash of a new user, as field/value pairs. */
  static List<String> hashFields(User user) {
    return Scripts.fields("username", user.username(), "tenant", user.tenant(), "role", user.role().wire(),
        "scopes", new JsonArray(user.scopes()).encode(), "passwordHash", user.passwordHash(),
        "createdAt", Instant.now().toString());
  }

  @Override
  public Future<Outcome> create(User user) {
    var args = new ArrayList<>(List.of(KIND, user.username(), user.tenant()));
    args.addAll(hashFields(user));
    return Scripts.run(redis, Scripts.CREATE_ACCOUNT, args).map(Scripts::outcome);
  }

  @Override
  public Future<User> get(String username) {
    return redis.send(hmget(username)).map(RedisUserStore::user);
  }

  @Override
  public Future<List<User>> list(String tenant) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.tenantUsers(tenant))).compose(members -> {
      var names = Scripts.strings(members);
      if (names.isEmpty()) return Future.succeededFuture(List.<User>of());
      return redis.batch(names.stream().map(RedisUserStore::hmget).toList())
          .map(rows -> rows.stream().map(RedisUserStore::user).filter(u -> u != null && u.tenant().equals(tenant))
              .sorted(Comparator.comparing(User::username)).toList());
    });
  }

  @Override
  public Future<Outcome> update(User expected, Role role, List<String> scopes, String passwordHash) {
    var args = new ArrayList<>(expectation(expected));
    args.addAll(Scripts.fields("role", role == null ? null : role.wire(),
        "scopes", scopes == null ? null : new JsonArray(scopes).encode(), "passwordHash", passwordHash,
        "updatedAt", Instant.now().toString()));
    return Scripts.run(redis, Scripts.CHANGE_ACCOUNT, args).map(Scripts::outcome);
  }

  @Override
  public Future<Outcome> delete(User expected) {
    return Scripts.run(redis, Scripts.CHANGE_ACCOUNT, expectation(expected)).map(Scripts::outcome);
  }

  private static List<String> expectation(User user) {
    return List.of(KIND, user.username(), user.tenant(), user.role().wire(), new JsonArray(user.scopes()).encode());
  }

  private static Request hmget(String username) {
    return Request.cmd(Command.HMGET).arg(RedisKeys.user(username))
        .arg("username").arg("tenant").arg("role").arg("scopes").arg("passwordHash");
  }

  private static User user(io.vertx.redis.client.Response response) {
    var v = Scripts.strings(response);
    if (v.get(0) == null) return null;
    var scopes = new JsonArray(v.get(3)).stream().map(String::valueOf).toList();
    return new User(v.get(0), v.get(1), Role.fromWire(v.get(2)), scopes, v.get(4));
  }
}
