package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vigie.common.redis.RedisScript;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FrameCounters} in Redis. Per device (hash tag on the DevEUI, so both keys share a cluster slot):
 * <ul>
 *   <li>{@code vigie:decoder:fcnt:{<devEui>}} — hash: {@code last} (the highest accepted counter), {@code resets}
 *       (sessions restarted by a reboot);</li>
 *   <li>{@code vigie:decoder:recent:{<devEui>}} — sorted set of {@code <fCnt>:<hash>} scored by counter: the frames
 *       accepted less than {@code max(W + 1, RECENT)} below the highest.</li>
 * </ul>
 * The decision is one Lua script, atomic in Redis, loaded once and called by its SHA1 ({@link RedisScript}); a batch
 * is one pipeline of {@code EVALSHA}, which Redis runs in order.
 */
public final class RedisFrameCounters implements FrameCounters {
  private static final String PREFIX = "vigie:decoder:";

  /**
   * KEYS[1] state hash, KEYS[2] recent set; ARGV[1] fCnt, ARGV[2] hash, ARGV[3] reset allowed (1/0), ARGV[4] frames
   * at least this far below the highest counter are forgotten, ARGV[5] the replay window W. Returns {verdict, last}:
   * 1 accepted, 4 late (within the window), 2 re-delivery, 3 reset, 0 replay.
   */
  static final String ACCEPT = """
      local fcnt = tonumber(ARGV[1])
      local member = ARGV[1] .. ':' .. ARGV[2]
      local stored = redis.call('HGET', KEYS[1], 'last')
      local last = -1
      if stored then last = tonumber(stored) end
      if redis.call('ZSCORE', KEYS[2], member) then return {2, last} end
      if fcnt > last then
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('ZADD', KEYS[2], fcnt, member)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', fcnt - tonumber(ARGV[4]))
        return {1, last}
      end
      local window = tonumber(ARGV[5])
      local seen = #redis.call('ZRANGEBYSCORE', KEYS[2], fcnt, fcnt, 'LIMIT', 0, 1) > 0
      if not seen and last - fcnt <= window then
        redis.call('ZADD', KEYS[2], fcnt, member)
        return {4, last}
      end
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
  private final int window;
  private final int remembered;
  private final RedisScript accept;

  /** @param window the replay window W: a counter never seen within W below the highest is accepted once; 0 strict */
  public RedisFrameCounters(Redis redis, int window) {
    if (window < 0) throw new IllegalArgumentException("the replay window cannot be negative: " + window);
    this.redis = redis;
    this.window = window;
    // every counter inside the window (W below the highest) must be remembered, so that none is accepted twice
    this.remembered = Math.max(window + 1, RECENT);
    this.accept = new RedisScript(redis, "replay-guard", ACCEPT);
  }

  static String stateKey(String devEui) {
    return PREFIX + "fcnt:{" + devEui + "}";
  }

  static String recentKey(String devEui) {
    return PREFIX + "recent:{" + devEui + "}";
  }

  @Override
  public Future<List<Long>> lastAll(List<String> devEuis) {
    if (devEuis.isEmpty()) return Future.succeededFuture(List.of());
    var requests = devEuis.stream().map(devEui -> Request.cmd(Command.HGET).arg(stateKey(devEui)).arg("last")).toList();
    return redis.batch(requests).map(responses -> responses.stream()
        .map(response -> response == null ? -1L : response.toLong()).toList());
  }

  @Override
  public Future<List<Decision>> acceptAll(List<Check> checks) {
    var calls = new ArrayList<RedisScript.Call>(checks.size());
    for (var check : checks) {
      calls.add(new RedisScript.Call(List.of(stateKey(check.devEui()), recentKey(check.devEui())),
          List.of(Long.toString(check.fCnt32()), check.payloadHash(), check.resetAllowed() ? "1" : "0",
              Integer.toString(remembered), Integer.toString(window))));
    }
    return accept.batch(calls).map(responses -> responses.stream().map(RedisFrameCounters::decision).toList());
  }

  private static Decision decision(Response response) {
    var verdict = switch (response.get(0).toInteger()) {
      case 1 -> Verdict.ACCEPTED;
      case 4 -> Verdict.LATE;
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
