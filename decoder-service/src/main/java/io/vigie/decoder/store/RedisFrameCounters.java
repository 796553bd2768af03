package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vigie.common.redis.RedisClients;
import io.vigie.common.redis.RedisScript;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Verdict;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FrameCounters} in Redis. Per device (hash tag on the DevEUI, so both keys share a cluster slot):
 * <ul>
 *   <li>{@code vigie:decoder:fcnt:{<devEui>}} — hash: {@code last} (the highest accepted counter), {@code resets}
 *       (sessions restarted by a reboot);</li>
 *   <li>{@code vigie:decoder:recent:{<devEui>}} — sorted set of {@code <fCnt>:<hash>} scored by counter: the frames
 *       accepted less than {@link ReplayWindow#remembered} below the highest, and all those of the last batch
 *       recorded.</li>
 * </ul>
 * Two Lua scripts, each loaded once and called by its SHA1 ({@link RedisScript}), ONE call per batch and phase with
 * every device's keys in {@code KEYS} (the scripts never build a key name): {@link #READ} (an atomic snapshot of the
 * batch's devices) and {@link #COMMIT} (the batch's frames, in order). On a Redis Cluster a call's keys must share a
 * slot: the batch is split per slot of its devices and the calls are sent in one round trip (a pipeline per node).
 *
 * <p>With a cache ({@code cachedDevices} &gt; 0) each device's highest counter is kept as Redis last answered it (its
 * read, or the highest after each of this instance's commits, which the commit script returns): a device known is read
 * as {@link ReplayWindow#above} it, with no call. That is exact while this decoder is the only one writing the guard
 * (one decoder instance): every frame above the highest is above every frame remembered. Another decoder's writes make
 * a kept counter stale; the commit re-applies the rule to every decision, but the frame was stored by then, so a stale
 * counter would let a genuine frame older than the window (one never received before, e.g. jammed then sent again)
 * be stored before its conflict: the guard's bound would be the cache's age, not W. So each commit compares, frame by
 * frame, the highest counter Redis had with the one the decision was made on; the first difference (another writer,
 * or a batch processed twice at once) turns the cache off for good in this instance, like a race during a lease
 * hand-over: with several decoder instances, set {@code cachedDevices} to 0.
 */
public final class RedisFrameCounters implements FrameCounters {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFrameCounters.class);
  private static final String PREFIX = "vigie:decoder:";

  /**
   * KEYS: per device its state hash and its recent set (KEYS[2i-1], KEYS[2i]); ARGV[i]: device i's lowest counter of
   * interest ({@code -inf}: all). Returns per device {last (-1 when none), the recent members from ARGV[i] up…} (none
   * to look for when ARGV[i] is above last: every frame remembered is at or below it): an atomic snapshot of the whole
   * batch's devices.
   */
  static final String READ = """
      local states = {}
      for i = 1, #ARGV do
        local last = redis.call('HGET', KEYS[2 * i - 1], 'last') or '-1'
        local state = {last}
        local from = tonumber(ARGV[i])
        if not (from and from > tonumber(last)) then
          for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2 * i], ARGV[i], '+inf')) do state[#state + 1] = member end
        end
        states[i] = state
      end
      return states
      """;

  /**
   * KEYS: per device its state hash and its recent set (KEYS[2d-1], KEYS[2d]). ARGV[1] frames at least this far below
   * the highest counter are forgotten, ARGV[2] the replay window W, then per frame, in batch order, six: d (its
   * device's place in KEYS), fCnt, hash, 1 when the decision was a reset, the highest counter when it was decided, the
   * lowest counter this commit records for the device (its frames are all kept). Each frame's decision is applied again,
   * atomically: the frame already recorded (a retried commit, or the same frame committed by another decoder) → 1,
   * nothing changes; a reset decided against the highest counter still recorded → 1, the session restarts; otherwise,
   * the same counter recorded with other content → 0 (conflict); above the highest → 1, now the highest; never seen
   * and within W → 1; below the window → 0 (conflict). Returns per frame {1 recorded or 0 conflict, the highest
   * counter before it, the highest after it}.
   */
  static final String COMMIT = """
      local remembered, window = tonumber(ARGV[1]), tonumber(ARGV[2])
      local function commit(state, recent, counter, hash, reset, decided, lowest)
        local fcnt, member = tonumber(counter), counter .. ':' .. hash
        local stored = redis.call('HGET', state, 'last')
        local last = -1
        if stored then last = tonumber(stored) end
        if fcnt > last and reset ~= '1' then
          -- above the highest, hence above every frame remembered: new (the usual case, without looking)
          redis.call('HSET', state, 'last', counter)
          redis.call('ZADD', recent, fcnt, member)
          redis.call('ZREMRANGEBYSCORE', recent, '-inf', math.min(fcnt - remembered, lowest - 1))
          return {1, last, fcnt}
        end
        if redis.call('ZSCORE', recent, member) then return {1, last, last} end
        if reset == '1' and last == decided then
          redis.call('HSET', state, 'last', counter)
          redis.call('HINCRBY', state, 'resets', 1)
          redis.call('DEL', recent)
          redis.call('ZADD', recent, fcnt, member)
          return {1, last, fcnt}
        end
        if #redis.call('ZRANGEBYSCORE', recent, fcnt, fcnt, 'LIMIT', 0, 1) > 0 then return {0, last, last} end
        if fcnt > last then
          redis.call('HSET', state, 'last', counter)
          redis.call('ZADD', recent, fcnt, member)
          redis.call('ZREMRANGEBYSCORE', recent, '-inf', math.min(fcnt - remembered, lowest - 1))
          return {1, last, fcnt}
        end
        if last - fcnt <= window then
          redis.call('ZADD', recent, fcnt, member)
          return {1, last, last}
        end
        return {0, last, last}
      end
      local answers = {}
      for i = 3, #ARGV, 6 do
        local d = tonumber(ARGV[i])
        answers[#answers + 1] = commit(KEYS[2 * d - 1], KEYS[2 * d], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3],
          tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5]))
      end
      return answers
      """;

  private final Redis redis;
  private final int window;
  private final int remembered;
  private final RedisScript read;
  private final RedisScript commit;
  private final boolean clustered;
  /** Each device's highest counter as the store last answered it (a read, or this decoder's commit); null: none kept. */
  private final Map<String, Long> known;
  /** Set once a commit found a device's highest counter moved by someone else: the cache is off from then on. */
  private volatile boolean shared;

  /**
   * Without a cache: every read asks the store.
   *
   * @param window the replay window W: a counter never seen within W below the highest is accepted once; 0 strict
   */
  public RedisFrameCounters(Redis redis, int window) {
    this(redis, window, 0);
  }

  /**
   * @param window the replay window W: a counter never seen within W below the highest is accepted once; 0 strict
   * @param cachedDevices how many devices' highest counters are kept (least recently used dropped first), so that a
   *     batch whose frames are all above them reads nothing; 0 keeps none
   */
  public RedisFrameCounters(Redis redis, int window, int cachedDevices) {
    if (window < 0) throw new IllegalArgumentException("the replay window cannot be negative: " + window);
    if (cachedDevices < 0) throw new IllegalArgumentException("the cached devices cannot be negative: " + cachedDevices);
    this.redis = redis;
    this.window = window;
    this.remembered = ReplayWindow.remembered(window);
    this.read = new RedisScript(redis, "replay-guard-read", READ);
    this.commit = new RedisScript(redis, "replay-guard-commit", COMMIT);
    this.clustered = RedisClients.clustered(redis);
    this.known = cachedDevices == 0 ? null : Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > cachedDevices;
      }
    });
  }

  static String stateKey(String devEui) {
    return PREFIX + "fcnt:{" + devEui + "}";
  }

  static String recentKey(String devEui) {
    return PREFIX + "recent:{" + devEui + "}";
  }

  /**
   * The windows of the devices whose highest counter is known here are {@link ReplayWindow#above} it, with no round
   * trip; the others are read from the store (and their highest counters kept).
   */
  @Override
  public Future<List<ReplayWindow>> read(List<Read> reads) {
    if (known == null || shared) return readStore(reads);
    var windows = new ReplayWindow[reads.size()];
    var missing = new ArrayList<Integer>();
    for (int i = 0; i < reads.size(); i++) {
      var last = known.get(reads.get(i).devEui());
      if (last != null) windows[i] = ReplayWindow.above(last, window); else missing.add(i);
    }
    if (missing.isEmpty()) return Future.succeededFuture(Arrays.asList(windows));
    return readStore(missing.stream().map(reads::get).toList()).map(read -> {
      for (int j = 0; j < missing.size(); j++) {
        windows[missing.get(j)] = read.get(j);
        if (!shared) known.put(reads.get(missing.get(j)).devEui(), read.get(j).last());
      }
      return Arrays.asList(windows);
    });
  }

  @Override
  public void forget(Collection<String> devEuis) {
    if (known != null) devEuis.forEach(known::remove);
  }

  private Future<List<ReplayWindow>> readStore(List<Read> reads) {
    if (reads.isEmpty()) return Future.succeededFuture(List.of());
    var groups = groups(reads, Read::devEui);
    var calls = new ArrayList<RedisScript.Call>(groups.size());
    for (var group : groups) {
      var keys = new ArrayList<String>(2 * group.size());
      var from = new ArrayList<String>(group.size());
      for (var place : group) {
        var r = reads.get(place);
        keys.add(stateKey(r.devEui()));
        keys.add(recentKey(r.devEui()));
        from.add(r.from() == Long.MIN_VALUE ? "-inf" : Long.toString(r.from()));
      }
      calls.add(new RedisScript.Call(keys, from));
    }
    return send(read, calls).map(answers -> {
      var windows = new ReplayWindow[reads.size()];
      for (int g = 0; g < groups.size(); g++) {
        for (int i = 0; i < groups.get(g).size(); i++) windows[groups.get(g).get(i)] = window(answers.get(g).get(i));
      }
      return Arrays.asList(windows);
    });
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
    if (commits.isEmpty()) return Future.succeededFuture(List.of());
    var groups = groups(commits, Commit::devEui);
    var calls = new ArrayList<RedisScript.Call>(groups.size());
    for (var group : groups) calls.add(commitCall(group.stream().map(commits::get).toList()));
    return send(commit, calls).onFailure(failure -> forget(devices(commits))).map(answers -> {
      var conflicts = new ArrayList<Conflict>();
      var after = new HashMap<String, Long>();
      String moved = null;
      for (int g = 0; g < groups.size(); g++) {
        var responses = answers.get(g);
        for (int i = 0; i < responses.size(); i++) {
          var response = responses.get(i);
          var c = commits.get(groups.get(g).get(i));
          long before = response.get(1).toLong();
          if (response.get(0).toInteger() == 0) conflicts.add(new Conflict(c, before));
          if (before != c.decision().lastAccepted() && moved == null) moved = c.devEui();
          after.put(c.devEui(), response.get(2).toLong());
        }
      }
      if (moved == null && !conflicts.isEmpty()) moved = conflicts.get(0).commit().devEui();
      if (known != null && !shared) {
        if (moved != null) {
          shared = true;
          known.clear();
          LOG.info("replay guard: the highest counter of device {} was moved by another writer (another decoder instance,"
              + " or a batch processed twice at once): this decoder stops keeping highest counters and reads Redis for"
              + " every batch (set decoder.guardCache to 0 when several decoder instances run)", moved);
        } else {
          known.putAll(after);
        }
      }
      return conflicts;
    });
  }

  private static List<String> devices(List<Commit> commits) {
    return commits.stream().map(Commit::devEui).distinct().toList();
  }

  /** One {@link #COMMIT} call for these frames (in batch order). */
  private RedisScript.Call commitCall(List<Commit> commits) {
    var lowest = new HashMap<String, Long>();
    for (var c : commits) lowest.merge(c.devEui(), c.fCnt32(), Math::min);
    var places = new HashMap<String, Integer>();
    var keys = new ArrayList<String>(2 * lowest.size());
    var args = new ArrayList<String>(2 + 6 * commits.size());
    args.add(Integer.toString(remembered));
    args.add(Integer.toString(window));
    for (var c : commits) {
      var place = places.computeIfAbsent(c.devEui(), devEui -> {
        keys.add(stateKey(devEui));
        keys.add(recentKey(devEui));
        return keys.size() / 2;
      });
      var decision = c.decision();
      args.add(Integer.toString(place));
      args.add(Long.toString(c.fCnt32()));
      args.add(c.payloadHash());
      args.add(decision.verdict() == Verdict.RESET ? "1" : "0");
      args.add(Long.toString(decision.lastAccepted()));
      args.add(Long.toString(lowest.get(c.devEui())));
    }
    return new RedisScript.Call(keys, args);
  }

  /**
   * The places of the items, in order, grouped per Redis Cluster slot of their device (a script call's keys share one
   * slot); on a single Redis all in one group: one call per batch and phase.
   */
  private <T> List<List<Integer>> groups(List<T> items, Function<T, String> devEui) {
    var all = IntStream.range(0, items.size()).boxed().toList();
    if (!clustered) return List.of(all);
    var bySlot = new LinkedHashMap<Integer, List<Integer>>();
    for (var place : all) {
      bySlot.computeIfAbsent(RedisClients.slot(stateKey(devEui.apply(items.get(place)))), slot -> new ArrayList<>()).add(place);
    }
    return new ArrayList<>(bySlot.values());
  }

  /** One call's answer, or on a cluster the calls of several slots in one round trip (a pipeline per node). */
  private static Future<List<Response>> send(RedisScript script, List<RedisScript.Call> calls) {
    if (calls.size() == 1) return script.call(calls.get(0).keys(), calls.get(0).args()).map(List::of);
    return script.batch(calls);
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }
}
