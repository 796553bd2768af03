package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * {@link FrameCounters} in Redis. Per device (hash tag on the DevEUI, so both keys share a cluster slot):
 * <ul>
 *   <li>{@code vigie:decoder:fcnt:{<devEui>}} — hash: {@code last} (the last accepted counter), {@code resets}
 *       (sessions restarted by a reboot);</li>
 *   <li>{@code vigie:decoder:recent:{<devEui>}} — sorted set of {@code <fCnt>:<hash>} scored by counter, the
 *       {@link #RECENT} highest accepted frames.</li>
 * </ul>
 * The decision is one Lua script, atomic in Redis.
 */
public final class RedisFrameCounters implements FrameCounters {
  private static final String PREFIX = "vigie:decoder:";

  /**
   * KEYS[1] state hash, KEYS[2] recent set; ARGV[1] fCnt, ARGV[2] hash, ARGV[3] reset allowed (1/0), ARGV[4] how
   * many recent frames to keep. Returns {verdict, last}: 1 accepted, 2 re-delivery, 3 reset, 0 replay.
   */
  static final String ACCEPT = """
      local fcnt = tonumber(ARGV[1])
      local member = ARGV[1] .. ':' .. ARGV[2]
      local stored = redis.call('HGET', KEYS[1], 'last')
      local last = -1
      if stored then last = tonumber(stored) end
      if fcnt > last then
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('ZADD', KEYS[2], fcnt, member)
        redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
        return {1, last}
      end
      if redis.call('ZSCORE', KEYS[2], member) then return {2, last} end
      if ARGV[3] == '1' then
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'resets', 1)
        redis.call('DEL', KEYS[2])
        redis.call('ZADD', KEYS[2], fcnt, member)
        return {3, last}
      end
      return {0, last}
      """;

  private final Redis redis;

  public RedisFrameCounters(Redis redis) {
    this.redis = redis;
  }

  static String stateKey(String devEui) {
    return PREFIX + "fcnt:{" + devEui + "}";
  }

  static String recentKey(String devEui) {
    return PREFIX + "recent:{" + devEui + "}";
  }

  @Override
  public Future<Long> last(String devEui) {
    return redis.send(Request.cmd(Command.HGET).arg(stateKey(devEui)).arg("last"))
        .map(response -> response == null ? -1L : response.toLong());
  }

  @Override
  public Future<Decision> accept(String devEui, long fCnt32, String payloadHash, boolean resetAllowed) {
    var eval = Request.cmd(Command.EVAL).arg(ACCEPT).arg(2).arg(stateKey(devEui)).arg(recentKey(devEui))
        .arg(Long.toString(fCnt32)).arg(payloadHash).arg(resetAllowed ? "1" : "0").arg(RECENT);
    return redis.send(eval).map(RedisFrameCounters::decision);
  }

  private static Decision decision(Response response) {
    var verdict = switch (response.get(0).toInteger()) {
      case 1 -> Verdict.ACCEPTED;
      case 2 -> Verdict.REDELIVERY;
      case 3 -> Verdict.RESET;
      default -> Verdict.REPLAY;
    };
    return new Decision(verdict, response.get(1).toLong());
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }
}
