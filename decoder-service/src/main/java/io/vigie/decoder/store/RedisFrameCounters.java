package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vigie.common.redis.RedisScript;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Verdict;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * {@link FrameCounters} in Redis. Per device (hash tag on the DevEUI, so both keys share a cluster slot):
 * <ul>
 *   <li>{@code vigie:decoder:fcnt:{<devEui>}} — hash: {@code last} (the highest accepted counter), {@code resets}
 *       (sessions restarted by a reboot);</li>
 *   <li>{@code vigie:decoder:recent:{<devEui>}} — sorted set of {@code <fCnt>:<hash>} scored by counter: the frames
 *       accepted less than {@link ReplayWindow#remembered} below the highest, and all those of the last batch
 *       recorded.</li>
 * </ul>
 * Two Lua scripts, each loaded once and called by its SHA1 ({@link RedisScript}): {@link #READ}, one call per device
 * (an atomic snapshot of both keys), and {@link #COMMIT}, one call per frame; a batch is one pipeline of
 * {@code EVALSHA} per phase, which Redis runs in order.
 */
public final class RedisFrameCounters implements FrameCounters {
  private static final String PREFIX = "vigie:decoder:";

  /**
   * KEYS[1] state hash, KEYS[2] recent set; ARGV[1] the lowest counter of interest ({@code -inf}: all). Returns
   * {last (-1 when none), the recent members from ARGV[1] up…}.
   */
  static final String READ = """
      local state = {redis.call('HGET', KEYS[1], 'last') or '-1'}
      for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf')) do state[#state + 1] = member end
      return state
      """;

  /**
   * KEYS[1] state hash, KEYS[2] recent set; ARGV[1] fCnt, ARGV[2] hash, ARGV[3] 1 when the decision was a reset,
   * ARGV[4] the highest counter when it was decided, ARGV[5] frames at least this far below the highest counter are
   * forgotten, ARGV[6] the replay window W, ARGV[7] the lowest counter this commit records for the device (its frames
   * are all kept). The decision's rule applied again, atomically: the frame already recorded
   * (a retried commit, or the same frame committed by another decoder) → 1, nothing changes; a reset decided against
   * the highest counter still recorded → 1, the session restarts; otherwise, the same counter recorded with other
   * content → 0 (conflict); above the highest → 1, now the highest; never seen and within W → 1; below the window
   * → 0 (conflict). Returns {1 recorded or 0 conflict, last}.
   */
  static final String COMMIT = """
      local fcnt = tonumber(ARGV[1])
      local member = ARGV[1] .. ':' .. ARGV[2]
      local stored = redis.call('HGET', KEYS[1], 'last')
      local last = -1
      if stored then last = tonumber(stored) end
      if redis.call('ZSCORE', KEYS[2], member) then return {1, last} end
      if ARGV[3] == '1' and last == tonumber(ARGV[4]) then
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'resets', 1)
        redis.call('DEL', KEYS[2])
        redis.call('ZADD', KEYS[2], fcnt, member)
        return {1, last}
      end
      if #redis.call('ZRANGEBYSCORE', KEYS[2], fcnt, fcnt, 'LIMIT', 0, 1) > 0 then return {0, last} end
      if fcnt > last then
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('ZADD', KEYS[2], fcnt, member)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', math.min(fcnt - tonumber(ARGV[5]), tonumber(ARGV[7]) - 1))
        return {1, last}
      end
      if last - fcnt <= tonumber(ARGV[6]) then
        redis.call('ZADD', KEYS[2], fcnt, member)
        return {1, last}
      end
      return {0, last}
      """;

  private final Redis redis;
  private final int window;
  private final int remembered;
  private final RedisScript read;
  private final RedisScript commit;

  /** @param window the replay window W: a counter never seen within W below the highest is accepted once; 0 strict */
  public RedisFrameCounters(Redis redis, int window) {
    if (window < 0) throw new IllegalArgumentException("the replay window cannot be negative: " + window);
    this.redis = redis;
    this.window = window;
    this.remembered = ReplayWindow.remembered(window);
    this.read = new RedisScript(redis, "replay-guard-read", READ);
    this.commit = new RedisScript(redis, "replay-guard-commit", COMMIT);
  }

  static String stateKey(String devEui) {
    return PREFIX + "fcnt:{" + devEui + "}";
  }

  static String recentKey(String devEui) {
    return PREFIX + "recent:{" + devEui + "}";
  }

  @Override
  public Future<List<ReplayWindow>> read(List<Read> reads) {
    var calls = reads.stream().map(r -> new RedisScript.Call(keys(r.devEui()),
        List.of(r.from() == Long.MIN_VALUE ? "-inf" : Long.toString(r.from())))).toList();
    return read.batch(calls).map(responses -> responses.stream().map(this::window).toList());
  }

  private ReplayWindow window(Response state) {
    var recent = new HashMap<Long, String>();
    for (int i = 1; i < state.size(); i++) {
      var member = state.get(i).toString();
      int colon = member.indexOf(':');
      recent.putIfAbsent(Long.parseLong(member.substring(0, colon)), member.substring(colon + 1));
    }
    return new ReplayWindow(Long.parseLong(state.get(0).toString()), recent, window);
  }

  @Override
  public Future<List<Conflict>> commit(List<Commit> commits) {
    var lowest = new HashMap<String, Long>();
    for (var c : commits) lowest.merge(c.devEui(), c.fCnt32(), Math::min);
    var calls = new ArrayList<RedisScript.Call>(commits.size());
    for (var c : commits) {
      var decision = c.decision();
      calls.add(new RedisScript.Call(keys(c.devEui()), List.of(Long.toString(c.fCnt32()), c.payloadHash(),
          decision.verdict() == Verdict.RESET ? "1" : "0", Long.toString(decision.lastAccepted()),
          Integer.toString(remembered), Integer.toString(window), Long.toString(lowest.get(c.devEui())))));
    }
    return commit.batch(calls).map(responses -> {
      var conflicts = new ArrayList<Conflict>();
      for (int i = 0; i < responses.size(); i++) {
        var response = responses.get(i);
        if (response.get(0).toInteger() == 0) conflicts.add(new Conflict(commits.get(i), response.get(1).toLong()));
      }
      return conflicts;
    });
  }

  private static List<String> keys(String devEui) {
    return List.of(stateKey(devEui), recentKey(devEui));
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }
}
