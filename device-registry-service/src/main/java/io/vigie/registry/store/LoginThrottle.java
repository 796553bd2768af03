package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Counts failed logins per username and per client address in Redis (so every instance sees them), each
 * counter expiring one window after its first failure. Past the limit, logins are refused until it expires.
 */
public final class LoginThrottle {
  private final Redis redis;
  private final int maxPerUser;
  private final int maxPerAddress;
  private final int windowSeconds;

  public LoginThrottle(Redis redis, int maxPerUser, int maxPerAddress, int windowSeconds) {
    this.redis = redis;
    this.maxPerUser = maxPerUser;
    this.maxPerAddress = maxPerAddress;
    this.windowSeconds = windowSeconds;
  }

  /** 0 when a login may be tried, else the seconds until it may. */
  public Future<Long> retryAfter(String username, String address) {
    var userKey = RedisKeys.loginFailuresOfUser(username);
    var addressKey = RedisKeys.loginFailuresOfAddress(address);
    return redis.batch(List.of(
            Request.cmd(Command.GET).arg(userKey), Request.cmd(Command.TTL).arg(userKey),
            Request.cmd(Command.GET).arg(addressKey), Request.cmd(Command.TTL).arg(addressKey)))
        .map(r -> Math.max(wait(r.get(0) == null ? 0 : r.get(0).toLong(), r.get(1).toLong(), maxPerUser),
            wait(r.get(2) == null ? 0 : r.get(2).toLong(), r.get(3).toLong(), maxPerAddress)));
  }

  private long wait(long failures, long ttl, int max) {
    if (failures < max) return 0;
    return ttl > 0 ? ttl : windowSeconds;
  }

  public Future<Void> recordFailure(String username, String address) {
    var window = String.valueOf(windowSeconds);
    return Future.all(
            Scripts.eval(redis, Scripts.COUNT_FAILURE, List.of(RedisKeys.loginFailuresOfUser(username)), List.of(window)),
            Scripts.eval(redis, Scripts.COUNT_FAILURE, List.of(RedisKeys.loginFailuresOfAddress(address)), List.of(window)))
        .mapEmpty();
  }

  /** After a successful login, the username's failures are forgotten (not the address's). */
  public Future<Void> reset(String username) {
    return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.loginFailuresOfUser(username))).mapEmpty();
  }
}
