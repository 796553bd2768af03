package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Slows password guessing, in Redis (so every instance sees it), without ever locking a name out by itself:
 * <ul>
 *   <li>per username (or client id) <em>and</em> client address: past {@code maxPerUser} failures each further
 *       failure blocks that pair for a growing delay ({@code firstDelay}, doubled each time, at most
 *       {@code maxDelay}); the same name from another address is not slowed, so an attacker cannot lock the owner
 *       out;</li>
 *   <li>per client address, whatever the name (credential stuffing): past {@code maxPerAddress} failures in a
 *       window, that address waits for the window's end.</li>
 * </ul>
 */
public final class LoginThrottle {
  /** How failures are counted and slowed. */
  public record Limits(int maxPerUser, int maxPerAddress, int windowSeconds, int firstDelaySeconds, int maxDelaySeconds) {}

  private final Redis redis;
  private final Limits limits;

  public LoginThrottle(Redis redis, Limits limits) {
    this.redis = redis;
    this.limits = limits;
  }

  /** 0 when a login may be tried, else the seconds until it may. */
  public Future<Long> retryAfter(String username, String address) {
    var addressKey = RedisKeys.loginFailuresOfAddress(address);
    return redis.batch(List.of(
            Request.cmd(Command.TTL).arg(RedisKeys.loginBlockOfUserFrom(username, address)),
            Request.cmd(Command.GET).arg(addressKey), Request.cmd(Command.TTL).arg(addressKey)))
        .map(r -> Math.max(Math.max(0, r.get(0).toLong()),
            addressWait(r.get(1) == null ? 0 : r.get(1).toLong(), r.get(2).toLong())));
  }

  private long addressWait(long failures, long ttl) {
    if (failures < limits.maxPerAddress()) return 0;
    return ttl > 0 ? ttl : limits.windowSeconds();
  }

  /** Counts a failure; answers the seconds this username must now wait from this address (0: none). */
  public Future<Long> recordFailure(String username, String address) {
    var window = String.valueOf(limits.windowSeconds());
    var pair = Scripts.eval(redis, Scripts.COUNT_FAILURE_WITH_BACKOFF,
        List.of(RedisKeys.loginFailuresOfUserFrom(username, address), RedisKeys.loginBlockOfUserFrom(username, address)),
        List.of(window, String.valueOf(limits.maxPerUser()), String.valueOf(limits.firstDelaySeconds()),
            String.valueOf(limits.maxDelaySeconds())));
    var perAddress = Scripts.eval(redis, Scripts.COUNT_FAILURE, List.of(RedisKeys.loginFailuresOfAddress(address)),
        List.of(window));
    return Future.all(pair, perAddress).map(all -> pair.result().toLong());
  }

  /** After a successful login, the name's failures from that address are forgotten (not the address's). */
  public Future<Void> reset(String username, String address) {
    return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.loginFailuresOfUserFrom(username, address))
        .arg(RedisKeys.loginBlockOfUserFrom(username, address))).mapEmpty();
  }
}
