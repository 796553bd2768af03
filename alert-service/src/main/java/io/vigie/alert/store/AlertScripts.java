package io.vigie.alert.store;

/**
 * The Lua scripts of the alert state: every key is passed in {@code KEYS} (none is built in Lua), each script is
 * loaded once and called by its SHA ({@code RedisScript}). Every transition is appended, in the same script as the
 * state change, to the transitions stream: one field {@code alert}, the alert JSON with {@code transition},
 * {@code at} and {@code by}.
 */
final class AlertScripts {
  private AlertScripts() {}

  /** Every script's way to append a transition: the alert with transition, at, by, as the stream's field {@code alert}. */
  private static final String EMIT = """
      local function emit(stream, length, alert, transition, at, by)
        alert.transition = transition
        alert.at = at
        alert.by = by
        local event = cjson.encode(alert)
        redis.call('XADD', stream, 'MAXLEN', '~', length, '*', 'alert', event)
        return event
      end
      """;

  /**
   * The evaluations of a batch's devices, in ONE call: each device's is saved only if its counter is still the one read
   * and every touched rule's open alert is still the one read (optimistic concurrency), independently of the others
   * (one device's conflict leaves the others committed). KEYS: 1 deadlines, 2 stream, then per device 1 counter, 2 rule
   * states, 3 tenant index, the open-alert pointers checked, then per op the alert and its pointer. ARGV: 1 stream
   * length, 2 devices, then per device 1 expected counter (-1 none), 2 counter, 3 rule states JSON, 4 checks, 5 ops,
   * 6 deadline changes; per check the expected alert id ('' none); per op kind, id, JSON (alert or patch), at, score;
   * per deadline 'add'|'rem', member, score. Returns per device {1, alert JSON after each op…} committed, {0} already
   * evaluated, {-1} conflict.
   */
  static final String COMMIT = EMIT + """
      local deadlines_key, stream, length = KEYS[1], KEYS[2], ARGV[1]
      local function commit(k, a, checks, ops, deadlines)
        local stored = redis.call('GET', KEYS[k + 1])
        local last = -1
        if stored then last = tonumber(stored) end
        if tonumber(ARGV[a + 2]) <= last then return {0} end
        if last ~= tonumber(ARGV[a + 1]) then return {-1} end
        for j = 1, checks do
          if (redis.call('GET', KEYS[k + 3 + j]) or '') ~= ARGV[a + 6 + j] then return {-1} end
        end
        local out = {1}
        for i = 1, ops do
          local b = a + 6 + checks + 5 * (i - 1)
          local kind, id, at = ARGV[b + 1], ARGV[b + 2], ARGV[b + 4]
          local akey, pkey = KEYS[k + 3 + checks + 2 * i - 1], KEYS[k + 3 + checks + 2 * i]
          local patch = cjson.decode(ARGV[b + 3])
          local alert, transition
          if kind == 'open' then
            alert = patch
            transition = 'opened'
            redis.call('SET', pkey, id)
            redis.call('ZADD', KEYS[k + 3], ARGV[b + 5], id)
          else
            alert = cjson.decode(redis.call('GET', akey))
            if kind == 'escalate' then
              if alert.status == 'active' and alert.severity ~= patch.severity then transition = 'escalated' else patch.severity = nil end
            elseif kind == 'clear' then
              transition = 'cleared'
              redis.call('DEL', pkey)
            end
            for field, value in pairs(patch) do alert[field] = value end
          end
          local json = cjson.encode(alert)
          redis.call('SET', akey, json)
          if transition then json = emit(stream, length, alert, transition, at, 'system') end
          out[#out + 1] = json
        end
        local d0 = a + 6 + checks + 5 * ops
        for d = 1, deadlines do
          local b = d0 + 3 * (d - 1)
          if ARGV[b + 1] == 'add' then redis.call('ZADD', deadlines_key, ARGV[b + 3], ARGV[b + 2])
          else redis.call('ZREM', deadlines_key, ARGV[b + 2]) end
        end
        redis.call('SET', KEYS[k + 1], ARGV[a + 2])
        redis.call('SET', KEYS[k + 2], ARGV[a + 3])
        return out
      end
      local answers = {}
      local k, a = 2, 2
      for n = 1, tonumber(ARGV[2]) do
        local checks, ops, deadlines = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6])
        answers[n] = commit(k, a, checks, ops, deadlines)
        k = k + 3 + checks + 2 * ops
        a = a + 6 + checks + 5 * ops + 3 * deadlines
      end
      return answers
      """;

  /**
   * A person acknowledges or clears an alert. KEYS: 1 alert, 2 its pointer, 3 stream, 4 deadlines. ARGV: 1 'ack' or
   * 'clear', 2 by, 3 at, 4 comment ('' none), 5 stream length, 6 its escalation deadline member. Returns {200, event},
   * {404} or {409, alert} (not in a state that allows it).
   */
  static final String ACT = EMIT + """
      local raw = redis.call('GET', KEYS[1])
      if not raw then return {404} end
      local alert = cjson.decode(raw)
      local transition
      if ARGV[1] == 'ack' then
        if alert.status ~= 'active' then return {409, raw} end
        alert.status = 'acknowledged'
        alert.ackedBy = ARGV[2]
        alert.ackedAt = ARGV[3]
        transition = 'acknowledged'
      else
        if alert.status == 'cleared' then return {409, raw} end
        alert.status = 'cleared'
        alert.clearedBy = ARGV[2]
        alert.clearedAt = ARGV[3]
        transition = 'cleared'
        if redis.call('GET', KEYS[2]) == alert.id then redis.call('DEL', KEYS[2]) end
      end
      if ARGV[4] ~= '' then alert.comment = ARGV[4] end
      redis.call('ZREM', KEYS[4], ARGV[6])
      redis.call('SET', KEYS[1], cjson.encode(alert))
      return {200, emit(KEYS[3], ARGV[5], alert, transition, ARGV[3], ARGV[2])}
      """;

  /**
   * Opens an alert unless its device+rule has one open (security events, no-data timers). KEYS: 1 pointer, 2 alert,
   * 3 tenant index, 4 stream, 5 deadlines. ARGV: 1 alert JSON, 2 id, 3 score, 4 stream length, 5 at, 6 guard
   * member ('' none: then the deadline must still have the claimed score 7, else a measurement came), 8 next deadline
   * member ('' none), 9 its score. Returns the event, or false when nothing opened.
   */
  static final String OPEN = EMIT + """
      if ARGV[6] ~= '' then
        local score = redis.call('ZSCORE', KEYS[5], ARGV[6])
        if not score or tonumber(score) ~= tonumber(ARGV[7]) then return false end
        redis.call('ZREM', KEYS[5], ARGV[6])
      end
      if redis.call('EXISTS', KEYS[1]) == 1 then return false end
      redis.call('SET', KEYS[2], ARGV[1])
      redis.call('SET', KEYS[1], ARGV[2])
      redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
      if ARGV[8] ~= '' then redis.call('ZADD', KEYS[5], ARGV[9], ARGV[8]) end
      return emit(KEYS[4], ARGV[4], cjson.decode(ARGV[1]), 'opened', ARGV[5], 'system')
      """;

  /**
   * A timer escalates an active alert. KEYS: 1 alert, 2 stream, 3 deadlines. ARGV: 1 deadline member, 2 its claimed
   * score, 3 severity, 4 at, 5 stream length, 6 the next step's score ('' none). Returns the event or false.
   */
  static final String ESCALATE = EMIT + """
      local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
      if not score or tonumber(score) ~= tonumber(ARGV[2]) then return false end
      if ARGV[6] ~= '' then redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1]) else redis.call('ZREM', KEYS[3], ARGV[1]) end
      local raw = redis.call('GET', KEYS[1])
      if not raw then return false end
      local alert = cjson.decode(raw)
      if alert.status ~= 'active' or alert.severity == ARGV[3] then return false end
      alert.severity = ARGV[3]
      redis.call('SET', KEYS[1], cjson.encode(alert))
      return emit(KEYS[2], ARGV[5], alert, 'escalated', ARGV[4], 'system')
      """;

  /**
   * Claims the due deadlines: their score moves to the lease's end, so no other instance takes them before it (and
   * one left by a dead instance comes back then). KEYS: 1 deadlines. ARGV: 1 now, 2 lease end, 3 limit.
   * Returns {member, due score, …}.
   */
  static final String CLAIM = """
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
      for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], due[i]) end
      return due
      """;

  /** A tenant's rules, seeded once with the defaults. KEYS: 1 seeded marker, 2 rules. ARGV: id, JSON, … */
  static final String RULES = """
      if redis.call('SET', KEYS[1], '1', 'NX') then
        for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
      end
      return redis.call('HGETALL', KEYS[2])
      """;
}
