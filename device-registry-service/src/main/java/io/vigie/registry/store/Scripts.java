package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vigie.common.redis.RedisScript;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua scripts that make multi-key writes atomic (a script runs alone on the Redis server) and walk
 * the tree in one round trip, each loaded once ({@link RedisScript}). The tree scripts find keys on the way (a
 * node's parent, its children), so they compute them from the key prefix (their first argument); every registry key
 * carries the {@code {registry}} hash tag ({@link RedisKeys#PREFIX}) and each call declares {@link RedisKeys#tenants}
 * in {@code KEYS}, so on a Redis Cluster the call goes to the node holding that one slot.
 *
 * <p>Every script checks everything first and writes last, because Redis does not roll back a script that
 * fails half-way. Writes on something located in the tree take the path (ids from the root) the caller's
 * access was decided on, and answer {@code CHANGED} when the tree moved meanwhile: the route decides again.
 */
final class Scripts {
  private Scripts() {}

  /** Helpers shared by the scripts below; ARGV[1] is always the key prefix {@code vigie:}. */
  private static final String PRELUDE = """
      local P = ARGV[1]
      -- ids from the root down to id, or nil when id is missing (or cut from the root)
      local function path_of(id)
        local ids = {}
        local cur = id
        for i = 1, 65 do
          local parent = redis.call('HGET', P .. 'node:' .. cur, 'parentId')
          if not parent then return nil end
          table.insert(ids, 1, cur)
          if parent == '' then return ids end
          cur = parent
        end
        return nil
      end
      local function joined(ids) return table.concat(ids, '/') end
      -- the nodes of a subtree (breadth first), the DevEUIs attached to them and the number of levels;
      -- nil when larger than max
      local function subtree(id, max)
        local nodes, levels, devices = {id}, {1}, {}
        local height = 1
        local i = 1
        while nodes[i] do
          local key = P .. 'node:' .. nodes[i]
          for _, d in ipairs(redis.call('SMEMBERS', key .. ':devices')) do devices[#devices + 1] = d end
          for _, c in ipairs(redis.call('SMEMBERS', key .. ':children')) do
            nodes[#nodes + 1] = c
            levels[#nodes] = levels[i] + 1
            if levels[#nodes] > height then height = levels[#nodes] end
          end
          if #nodes > max then return nil end
          i = i + 1
        end
        return nodes, devices, height
      end
      local function drop_device(tenant, eui)
        local key = P .. 'device:' .. eui
        local addr = redis.call('HGET', key, 'devAddr')
        if addr then redis.call('SREM', P .. 'devaddr:' .. addr, eui) end
        redis.call('DEL', key)
        redis.call('SREM', P .. 'tenant:' .. tenant .. ':devices', eui)
      end
      local function drop_node(tenant, id, ttl)
        local key = P .. 'node:' .. id
        redis.call('DEL', key, key .. ':children', key .. ':devices')
        redis.call('SREM', P .. 'tenant:' .. tenant .. ':nodes', id)
        redis.call('SET', P .. 'tombstone:node:' .. id, '1', 'EX', ttl)
      end
      -- removes deleted node ids from the scopes of the tenant's users and clients; returns those changed
      local function prune_scopes(tenant, deleted)
        local pruned = {user = {}, client = {}}
        for _, kind in ipairs({'user', 'client'}) do
          for _, name in ipairs(redis.call('SMEMBERS', P .. 'tenant:' .. tenant .. ':' .. kind .. 's')) do
            local key = P .. kind .. ':' .. name
            local raw = redis.call('HGET', key, 'scopes')
            if raw then
              local kept, changed = {}, false
              for _, s in ipairs(cjson.decode(raw)) do
                if deleted[s] then changed = true else kept[#kept + 1] = s end
              end
              if changed then
                redis.call('HSET', key, 'scopes', #kept == 0 and '[]' or cjson.encode(kept))
                pruned[kind][#pruned[kind] + 1] = name
              end
            end
          end
        end
        return pruned.user, pruned.client
      end
      local function same_list(a, b)
        if #a ~= #b then return false end
        for i = 1, #a do if a[i] ~= b[i] then return false end end
        return true
      end
      """;

  /**
   * ARGV: prefix, id, name, createdAt, then optionally the first admin: username and its hash's field/value
   * pairs. Creates the tenant hash, its root node (same id, kind tenant) and the user, or nothing.
   */
  static final String CREATE_TENANT = PRELUDE + """
      local id = ARGV[2]
      local t = P .. 'tenant:' .. id
      if redis.call('EXISTS', t) == 1 or redis.call('EXISTS', P .. 'node:' .. id) == 1 then return {'DUPLICATE'} end
      if redis.call('EXISTS', P .. 'tombstone:node:' .. id) == 1 then return {'RECENTLY_DELETED'} end
      if ARGV[5] and redis.call('EXISTS', P .. 'user:' .. ARGV[5]) == 1 then return {'USER_TAKEN'} end
      redis.call('HSET', t, 'id', id, 'name', ARGV[3], 'createdAt', ARGV[4])
      redis.call('HSET', P .. 'node:' .. id, 'id', id, 'tenant', id, 'parentId', '', 'kind', 'tenant',
        'name', ARGV[3], 'attributes', '{}', 'createdAt', ARGV[4])
      redis.call('SADD', P .. 'tenants', id)
      redis.call('SADD', t .. ':nodes', id)
      if ARGV[5] then
        redis.call('HSET', P .. 'user:' .. ARGV[5], unpack(ARGV, 6))
        redis.call('SADD', t .. ':users', ARGV[5])
      end
      return {'OK'}
      """;

  /**
   * ARGV: prefix, tenant, tombstone seconds. Deletes everything of the tenant. Returns
   * [status, node ids, DevEUIs, usernames, client ids].
   */
  static final String DELETE_TENANT = PRELUDE + """
      local id = ARGV[2]
      local t = P .. 'tenant:' .. id
      if redis.call('EXISTS', t) == 0 then return {'NO_TENANT'} end
      local nodes = redis.call('SMEMBERS', t .. ':nodes')
      local devices = redis.call('SMEMBERS', t .. ':devices')
      local users = redis.call('SMEMBERS', t .. ':users')
      local clients = redis.call('SMEMBERS', t .. ':clients')
      for _, d in ipairs(devices) do drop_device(id, d) end
      for _, n in ipairs(nodes) do drop_node(id, n, ARGV[3]) end
      for _, dt in ipairs(redis.call('SMEMBERS', t .. ':device-types')) do
        redis.call('DEL', P .. 'device-type:' .. id .. ':' .. dt)
      end
      for _, u in ipairs(users) do redis.call('DEL', P .. 'user:' .. u) end
      for _, c in ipairs(clients) do redis.call('DEL', P .. 'client:' .. c) end
      redis.call('DEL', t, t .. ':nodes', t .. ':devices', t .. ':device-types', t .. ':users', t .. ':clients')
      redis.call('SREM', P .. 'tenants', id)
      return {'OK', nodes, devices, users, clients}
      """;

  /**
   * ARGV: prefix, id, tenant, parentId, kind, name, attributes, createdAt, expected parent path, max depth.
   */
  static final String CREATE_NODE = PRELUDE + """
      local id = ARGV[2]
      if redis.call('EXISTS', P .. 'node:' .. id) == 1 then return {'DUPLICATE'} end
      if redis.call('EXISTS', P .. 'tombstone:node:' .. id) == 1 then return {'RECENTLY_DELETED'} end
      local parent = P .. 'node:' .. ARGV[4]
      if redis.call('HGET', parent, 'tenant') ~= ARGV[3] then return {'NO_PARENT'} end
      local path = path_of(ARGV[4])
      if not path then return {'NO_PARENT'} end
      if joined(path) ~= ARGV[9] then return {'CHANGED'} end
      if #path >= tonumber(ARGV[10]) then return {'TOO_DEEP'} end
      redis.call('HSET', P .. 'node:' .. id, 'id', id, 'tenant', ARGV[3], 'parentId', ARGV[4], 'kind', ARGV[5],
        'name', ARGV[6], 'attributes', ARGV[7], 'createdAt', ARGV[8])
      redis.call('SADD', parent .. ':children', id)
      redis.call('SADD', P .. 'tenant:' .. ARGV[3] .. ':nodes', id)
      return {'OK'}
      """;

  /** ARGV: prefix, id, expected path, then field/value pairs. The root's name is also the tenant's. */
  static final String UPDATE_NODE = PRELUDE + """
      local id = ARGV[2]
      local path = path_of(id)
      if not path then return {'NO_NODE'} end
      if joined(path) ~= ARGV[3] then return {'CHANGED'} end
      redis.call('HSET', P .. 'node:' .. id, unpack(ARGV, 4))
      if #path == 1 then
        for i = 4, #ARGV, 2 do
          if ARGV[i] == 'name' then redis.call('HSET', P .. 'tenant:' .. id, 'name', ARGV[i + 1]) end
        end
      end
      return {'OK'}
      """;

  /**
   * ARGV: prefix, id, new parent id, expected path, expected path of the new parent, max depth, max subtree.
   * Returns [status, node ids of the subtree, DevEUIs in it]. Refuses cycles, roots, other tenants.
   */
  static final String MOVE_NODE = PRELUDE + """
      local id, parent = ARGV[2], ARGV[3]
      local path = path_of(id)
      if not path then return {'NO_NODE'} end
      if joined(path) ~= ARGV[4] then return {'CHANGED'} end
      if #path == 1 then return {'ROOT'} end
      local target = path_of(parent)
      if not target then return {'NO_PARENT'} end
      if joined(target) ~= ARGV[5] then return {'CHANGED'} end
      if target[1] ~= path[1] then return {'NO_PARENT'} end
      for _, ancestor in ipairs(target) do
        if ancestor == id then return {'CYCLE'} end
      end
      local nodes, devices, height = subtree(id, tonumber(ARGV[7]))
      if not nodes then return {'TOO_LARGE'} end
      local old = path[#path - 1]
      if old == parent then return {'UNCHANGED', nodes, devices} end
      if #target + height > tonumber(ARGV[6]) then return {'TOO_DEEP'} end
      redis.call('SREM', P .. 'node:' .. old .. ':children', id)
      redis.call('SADD', P .. 'node:' .. parent .. ':children', id)
      redis.call('HSET', P .. 'node:' .. id, 'parentId', parent)
      return {'OK', nodes, devices}
      """;

  /**
   * ARGV: prefix, id, expected path, cascade (1|0), tombstone seconds, max subtree. Deletes the node (and with
   * cascade its subtree and their devices), prunes the deleted ids from scopes. Returns [status, node ids, DevEUIs,
   * usernames and client ids whose scopes lost a node].
   */
  static final String DELETE_NODE = PRELUDE + """
      local id = ARGV[2]
      local path = path_of(id)
      if not path then return {'NO_NODE'} end
      if joined(path) ~= ARGV[3] then return {'CHANGED'} end
      if #path == 1 then return {'ROOT'} end
      local key = P .. 'node:' .. id
      if ARGV[4] ~= '1' and (redis.call('SCARD', key .. ':children') > 0
          or redis.call('SCARD', key .. ':devices') > 0) then
        return {'NOT_EMPTY'}
      end
      local nodes, devices = subtree(id, tonumber(ARGV[6]))
      if not nodes then return {'TOO_LARGE'} end
      local tenant = path[1]
      for _, d in ipairs(devices) do drop_device(tenant, d) end
      local deleted = {}
      for _, n in ipairs(nodes) do
        drop_node(tenant, n, ARGV[5])
        deleted[n] = true
      end
      redis.call('SREM', P .. 'node:' .. path[#path - 1] .. ':children', id)
      local users, clients = prune_scopes(tenant, deleted)
      return {'OK', nodes, devices, users, clients}
      """;

  /** ARGV: prefix, start node id. Returns the DevEUIs attached to the node and all its descendants. */
  static final String SUBTREE_DEVICES = PRELUDE + """
      local nodes, devices = subtree(ARGV[2], 200000)
      if not nodes then return redis.error_reply('ERR subtree too large under ' .. ARGV[2]) end
      return devices
      """;

  /**
   * ARGV: prefix, start node id, max nodes. Returns each node of the subtree, breadth first, as
   * [id, tenant, parentId, kind, name, attributes, DevEUI…]; empty when the node is missing.
   */
  static final String SUBTREE = PRELUDE + """
      if redis.call('EXISTS', P .. 'node:' .. ARGV[2]) == 0 then return {} end
      local nodes = subtree(ARGV[2], tonumber(ARGV[3]))
      if not nodes then return redis.error_reply('ERR subtree too large under ' .. ARGV[2]) end
      local out = {}
      for i, id in ipairs(nodes) do
        local key = P .. 'node:' .. id
        local row = redis.call('HMGET', key, 'id', 'tenant', 'parentId', 'kind', 'name', 'attributes')
        for _, d in ipairs(redis.call('SMEMBERS', key .. ':devices')) do row[#row + 1] = d end
        out[i] = row
      end
      return out
      """;

  /**
   * KEYS: the node. ARGV: node key prefix. Returns the node then its ancestors up to the root, each as
   * [id, tenant, parentId, kind, name, attributes]; an empty array when the node does not exist.
   */
  static final String PATH = """
      local out = {}
      local key = KEYS[1]
      for i = 1, 64 do
        local n = redis.call('HMGET', key, 'id', 'tenant', 'parentId', 'kind', 'name', 'attributes')
        if not n[1] then
          if i == 1 then return {} end
          return redis.error_reply('ERR registry tree broken above ' .. key)
        end
        out[i] = n
        if not n[3] or n[3] == '' then return out end
        key = ARGV[1] .. n[3]
      end
      return redis.error_reply('ERR registry tree deeper than 64 levels at ' .. KEYS[1])
      """;

  /**
   * ARGV: prefix, tenant, devEui, nodeId, type, devAddr ('' when none), expected node path, then the hash's
   * field/value pairs.
   */
  static final String CREATE_DEVICE = PRELUDE + """
      local tenant, eui, node = ARGV[2], ARGV[3], ARGV[4]
      local key = P .. 'device:' .. eui
      if redis.call('EXISTS', key) == 1 then return {'DUPLICATE'} end
      if redis.call('HGET', P .. 'node:' .. node, 'tenant') ~= tenant then return {'NO_NODE'} end
      local path = path_of(node)
      if not path then return {'NO_NODE'} end
      if joined(path) ~= ARGV[7] then return {'CHANGED'} end
      if redis.call('EXISTS', P .. 'device-type:' .. tenant .. ':' .. ARGV[5]) == 0 then return {'NO_TYPE'} end
      redis.call('HSET', key, unpack(ARGV, 8))
      redis.call('SADD', P .. 'node:' .. node .. ':devices', eui)
      redis.call('SADD', P .. 'tenant:' .. tenant .. ':devices', eui)
      if ARGV[6] ~= '' then redis.call('SADD', P .. 'devaddr:' .. ARGV[6], eui) end
      return {'OK'}
      """;

  /**
   * ARGV: prefix, devEui, expected path of its node, expected path of its new node ('' when it stays), names of
   * fields to remove (space separated, may be ''), then field/value pairs to set.
   */
  static final String UPDATE_DEVICE = PRELUDE + """
      local eui = ARGV[2]
      local key = P .. 'device:' .. eui
      local tenant = redis.call('HGET', key, 'tenant')
      if not tenant then return {'NO_DEVICE'} end
      local current = redis.call('HGET', key, 'nodeId')
      local path = path_of(current)
      if not path or joined(path) ~= ARGV[3] then return {'CHANGED'} end
      local set = {}
      for i = 6, #ARGV, 2 do set[ARGV[i]] = ARGV[i + 1] end
      local moving = set.nodeId and set.nodeId ~= current
      if moving then
        if redis.call('HGET', P .. 'node:' .. set.nodeId, 'tenant') ~= tenant then return {'NO_NODE'} end
        local target = path_of(set.nodeId)
        if not target then return {'NO_NODE'} end
        if joined(target) ~= ARGV[4] then return {'CHANGED'} end
      end
      if set.type and redis.call('EXISTS', P .. 'device-type:' .. tenant .. ':' .. set.type) == 0 then
        return {'NO_TYPE'}
      end
      if moving then
        redis.call('SREM', P .. 'node:' .. current .. ':devices', eui)
        redis.call('SADD', P .. 'node:' .. set.nodeId .. ':devices', eui)
      end
      if set.activationMode then
        local old = redis.call('HGET', key, 'devAddr')
        if old then redis.call('SREM', P .. 'devaddr:' .. old, eui) end
        if set.devAddr then redis.call('SADD', P .. 'devaddr:' .. set.devAddr, eui) end
      end
      for field in string.gmatch(ARGV[5], '%S+') do redis.call('HDEL', key, field) end
      if #ARGV >= 6 then redis.call('HSET', key, unpack(ARGV, 6)) end
      return {'OK'}
      """;

  /** ARGV: prefix, devEui, expected path of its node. */
  static final String DELETE_DEVICE = PRELUDE + """
      local eui = ARGV[2]
      local key = P .. 'device:' .. eui
      local tenant = redis.call('HGET', key, 'tenant')
      if not tenant then return {'NO_DEVICE'} end
      local node = redis.call('HGET', key, 'nodeId')
      local path = path_of(node)
      if not path or joined(path) ~= ARGV[3] then return {'CHANGED'} end
      redis.call('SREM', P .. 'node:' .. node .. ':devices', eui)
      drop_device(tenant, eui)
      return {'OK'}
      """;

  /** KEYS: device type, tenant device-types set. ARGV: id, then field/value pairs. Returns 1 when it replaced one. */
  static final String PUT_DEVICE_TYPE = """
      local existed = redis.call('EXISTS', KEYS[1])
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('SADD', KEYS[2], ARGV[1])
      return existed
      """;

  /**
   * Users and partner clients ("accounts", kind {@code user} or {@code client}). ARGV: prefix, kind, name,
   * tenant, then the hash's field/value pairs.
   */
  static final String CREATE_ACCOUNT = PRELUDE + """
      local key = P .. ARGV[2] .. ':' .. ARGV[3]
      if redis.call('EXISTS', key) == 1 then return {'DUPLICATE'} end
      redis.call('HSET', key, unpack(ARGV, 5))
      redis.call('SADD', P .. 'tenant:' .. ARGV[4] .. ':' .. ARGV[2] .. 's', ARGV[3])
      return {'OK'}
      """;

  /**
   * ARGV: prefix, kind, name, tenant, expected role, expected scopes (JSON), then field/value pairs to set
   * (none to delete the account). Answers CHANGED when the role or scopes changed since they were checked.
   */
  static final String CHANGE_ACCOUNT = PRELUDE + """
      local key = P .. ARGV[2] .. ':' .. ARGV[3]
      local v = redis.call('HMGET', key, 'tenant', 'role', 'scopes')
      if not v[1] or v[1] ~= ARGV[4] then return {'NO_ACCOUNT'} end
      if v[2] ~= ARGV[5] or not same_list(cjson.decode(v[3]), cjson.decode(ARGV[6])) then return {'CHANGED'} end
      if #ARGV >= 7 then
        redis.call('HSET', key, unpack(ARGV, 7))
      else
        redis.call('DEL', key)
        redis.call('SREM', P .. 'tenant:' .. ARGV[4] .. ':' .. ARGV[2] .. 's', ARGV[3])
      end
      return {'OK'}
      """;

  /** KEYS: counter. ARGV: window seconds. Increments, starting the expiry on the first failure. */
  static final String COUNT_FAILURE = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  /** The scripts loaded per client: each is loaded once (and again when Redis lost it). */
  private static final Map<Redis, Map<String, RedisScript>> LOADED = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * KEYS[1] the failure counter of a username from an address, KEYS[2] its block; ARGV: the counter's quiet
   * window, the failures allowed, the first delay and the longest (seconds). One more failure; past the allowance
   * the block is set for the first delay doubled at each further failure, capped. Answers the delay (0: none).
   */
  static final String COUNT_FAILURE_WITH_BACKOFF = """
      local n = redis.call('INCR', KEYS[1])
      local allowed = tonumber(ARGV[2])
      local cap = tonumber(ARGV[4])
      redis.call('EXPIRE', KEYS[1], math.max(tonumber(ARGV[1]), cap))
      if n < allowed then return 0 end
      local delay = math.floor(math.min(tonumber(ARGV[3]) * 2 ^ math.min(n - allowed, 30), cap))
      redis.call('SET', KEYS[2], '1', 'EX', delay)
      return delay
      """;

  static Future<Response> eval(Redis redis, String script, List<String> keys, List<String> args) {
    var scripts = LOADED.computeIfAbsent(redis, r -> new ConcurrentHashMap<>());
    return scripts.computeIfAbsent(script, text -> new RedisScript(redis, "registry", text)).call(keys, args);
  }

  /** A script taking the key prefix as its first argument, {@link RedisKeys#tenants} (the registry's slot) as KEYS. */
  static Future<Response> run(Redis redis, String script, List<String> args) {
    var all = new ArrayList<String>(args.size() + 1);
    all.add(RedisKeys.PREFIX);
    all.addAll(args);
    return eval(redis, script, List.of(RedisKeys.tenants()), all);
  }

  /** The status a script answered: the first element of an array answer. */
  static Outcome outcome(Response response) {
    var first = response.type() == ResponseType.MULTI ? response.get(0) : response;
    return Outcome.valueOf(first.toString());
  }

  /** The {@code index}-th element of an array answer as strings (empty when absent). */
  static List<String> listAt(Response response, int index) {
    if (response.type() != ResponseType.MULTI || response.size() <= index) return List.of();
    return strings(response.get(index));
  }

  /** Field/value pairs for HSET, skipping null values. */
  static List<String> fields(Object... pairs) {
    var out = new ArrayList<String>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        out.add(pairs[i].toString());
        out.add(pairs[i + 1].toString());
      }
    }
    return out;
  }

  /** Path ids as the scripts compare them. */
  static String joined(List<String> ids) {
    return ids == null ? "" : String.join("/", ids);
  }

  static String string(Response response) {
    return response == null ? null : response.toString();
  }

  static List<String> strings(Response response) {
    if (response == null) return List.of();
    var out = new ArrayList<String>(response.size());
    response.forEach(r -> out.add(r == null ? null : r.toString()));
    return out;
  }
}
