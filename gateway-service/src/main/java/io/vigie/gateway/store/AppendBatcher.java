package io.vigie.gateway.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Ack;
import io.vigie.common.redis.RedisScript;
import io.vigie.gateway.config.IngestLogSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces the appends to the ingest log: those arriving within {@code ingest.appendWindowMs} of the first (0: in the
 * same event-loop turn), or while the previous round trip is in flight, go to Redis as ONE pipeline holding ONE
 * script call per partition (up to {@code ingest.appendBatch} uplinks each; a partition's keys share a hash tag, so a
 * call is Redis Cluster-safe). Every uplink still gets its own answer: appended, duplicate or full.
 *
 * <p>One round trip at a time, its calls run in order by Redis: uplinks reach the log in the order they were handed
 * here. Thread-safe: the adapters append from their own event loops.
 */
final class AppendBatcher {
  /** Counters below the highest appended one that the script remembers per device: a bit mask, exact in a Lua number. */
  static final int WINDOW = 52;

  /**
   * KEYS: log, seen, meta. ARGV: window, max entries, max bytes, then per uplink: device key, counter, modulus (0: none;
   * 65536 for a 16-bit wire counter), uplink JSON. Answers one code per uplink: 1 appended, 2 duplicate, 3 full
   * (entries), 4 full (bytes). The bounds are read once per call; the seen hash keeps per device
   * {@code "<highest> <mask>"}, bit i of the mask standing for the counter highest - 1 - i, read once and written once
   * per call.
   */
  static final String SCRIPT = """
      local W, maxEntries, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local length = redis.call('XLEN', KEYS[1])
      local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
      local added, highs, masks, changed, answers = 0, {}, {}, {}, {}
      for i = 4, #ARGV, 4 do
        local device, c, m, json = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), ARGV[i + 3]
        local high = highs[device]
        if high == nil then
          local state = redis.call('HGET', KEYS[2], device)
          local h, mask = nil, nil
          if state then h, mask = string.match(state, '^(%d+) (%d+)$') end
          if h then high, masks[device] = tonumber(h), tonumber(mask) else high, masks[device] = false, 0 end
          highs[device] = high
        end
        local mask, d, answer = masks[device], 0, 0
        if high then
          d = c - high
          if m > 0 then
            d = d % m
            if d >= m / 2 then d = d - m end
          end
          if d == 0 or (d < 0 and -d <= W and math.floor(mask / 2 ^ (-d - 1)) % 2 == 1) then answer = 2 end
        end
        if answer == 0 then
          if length >= maxEntries then answer = 3
          elseif bytes + #json > maxBytes then answer = 4
          else
            if not high then
              high, mask = c, 0
            elseif d > 0 then
              if d > W then mask = 0 else mask = (mask * 2 ^ d) % 2 ^ W + 2 ^ (d - 1) end
              high = c
            elseif -d <= W then
              mask = mask + 2 ^ (-d - 1)
            end
            if not changed[device] then changed[#changed + 1], changed[device] = device, true end
            highs[device], masks[device] = high, mask
            redis.call('XADD', KEYS[1], '*', 'u', json)
            length, bytes, added, answer = length + 1, bytes + #json, added + #json, 1
          end
        end
        answers[#answers + 1] = answer
      end
      if added > 0 then
        local fields = {}
        for _, device in ipairs(changed) do
          fields[#fields + 1] = device
          fields[#fields + 1] = string.format('%d %d', highs[device], masks[device])
        end
        redis.call('HSET', KEYS[2], unpack(fields))
        redis.call('HINCRBY', KEYS[3], 'bytes', added)
      end
      return answers
      """;

  /** An uplink waiting for its round trip. */
  record Pending(int partition, String device, long fCnt, boolean raw, String json, String id, Promise<Ack> answer) {}

  private final Vertx vertx;
  private final IngestLogSettings settings;
  private final RedisScript script;
  /** The appends waiting, the window's flush due, the round trip in flight: guarded by {@code this}. */
  private List<Pending> queue = new ArrayList<>();
  private boolean due;
  private boolean sending;

  AppendBatcher(Vertx vertx, Redis redis, IngestLogSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    script = new RedisScript(redis, "ingest-append", SCRIPT);
  }

  RedisScript script() {
    return script;
  }

  Future<Ack> append(Pending pending) {
    boolean now;
    boolean schedule = false;
    synchronized (this) {
      queue.add(pending);
      if (sending) return pending.answer().future();
      now = queue.size() >= settings.appendBatch();
      if (!now && !due) {
        due = true;
        schedule = true;
      }
    }
    if (now) {
      flush();
    } else if (schedule) {
      if (settings.appendWindowMs() > 0) vertx.setTimer(settings.appendWindowMs(), id -> flush());
      else vertx.runOnContext(v -> flush());
    }
    return pending.answer().future();
  }

  private void flush() {
    List<Pending> batch;
    synchronized (this) {
      due = false;
      if (sending || queue.isEmpty()) return;
      sending = true;
      batch = queue;
      queue = new ArrayList<>();
    }
    send(batch);
  }

  /** ONE pipeline: per partition, calls of up to {@code appendBatch} uplinks, in the order they came. */
  private void send(List<Pending> batch) {
    var groups = new ArrayList<List<Pending>>();
    var open = new ArrayList<List<Pending>>(settings.partitions());
    for (int p = 0; p < settings.partitions(); p++) open.add(null);
    for (var pending : batch) {
      var group = open.get(pending.partition());
      if (group == null || group.size() >= settings.appendBatch()) {
        group = new ArrayList<>();
        open.set(pending.partition(), group);
        groups.add(group);
      }
      group.add(pending);
    }
    Future<List<Response>> sent;
    try {
      var calls = new ArrayList<RedisScript.Call>(groups.size());
      for (var group : groups) calls.add(call(group));
      sent = script.batch(calls);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(done -> {
      try {
        for (int g = 0; g < groups.size(); g++) answer(groups.get(g), g, done);
      } finally {
        synchronized (this) {
          sending = false;
        }
        flush(); // what arrived meanwhile: it has waited a round trip already
      }
    });
  }

  private RedisScript.Call call(List<Pending> group) {
    var partition = group.get(0).partition();
    var args = new ArrayList<String>(3 + 4 * group.size());
    args.add(Integer.toString(WINDOW));
    args.add(Integer.toString(settings.maxEntries()));
    args.add(Long.toString(settings.maxBytes()));
    for (var pending : group) {
      args.add(pending.device());
      args.add(Long.toString(pending.fCnt()));
      args.add(pending.raw() ? "65536" : "0");
      args.add(pending.json());
    }
    return new RedisScript.Call(List.of(IngestLog.key(partition, "log"), IngestLog.key(partition, "seen"),
        IngestLog.key(partition, "meta")), args);
  }

  /** Each uplink of call {@code g} its answer; 503 for all when the round trip failed. */
  private static void answer(List<Pending> group, int g, AsyncResult<List<Response>> done) {
    var codes = done.succeeded() && g < done.result().size() ? done.result().get(g) : null;
    for (int i = 0; i < group.size(); i++) {
      var pending = group.get(i);
      var code = codes == null || i >= codes.size() ? null : codes.get(i);
      if (code == null) {
        pending.answer().tryFail(unreachable(done.failed() ? done.cause().getMessage() : "no answer for this uplink"));
        continue;
      }
      switch (code.toInteger()) {
        case 1 -> pending.answer().tryComplete(new Ack(pending.id(), false));
        case 2 -> pending.answer().tryComplete(new Ack(pending.id(), true));
        case 3 -> pending.answer().tryFail(new IngestLog.LogFull(pending.partition(), "entries"));
        default -> pending.answer().tryFail(new IngestLog.LogFull(pending.partition(), "bytes"));
      }
    }
  }

  private static ApiException unreachable(String why) {
    return ApiException.unavailable("the ingest log (Redis) cannot be reached: " + why);
  }
}
