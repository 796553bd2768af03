package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lua scripts that make multi-key writes atomic (a script runs alone on the Redis server) and walk
 * the tree in one round trip. Scripts that walk the tree compute node keys from {@link RedisKeys#NODE}:
 * fine on a standalone or replicated Redis, not on Redis Cluster.
 */
final class Scripts {
  private Scripts() {}

  /** KEYS: tenant hash, root node, tenants set, tenant nodes set. ARGV: id, name, createdAt. */
  static final String CREATE_TENANT = """
      if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 'DUPLICATE' end
      redis.call('HSET', KEYS[1], 'id', ARGV[1], 'name', ARGV[2], 'createdAt', ARGV[3])
      redis.call('HSET', KEYS[2], 'id', ARGV[1], 'tenant', ARGV[1], 'parentId', '', 'kind', 'tenant',
        'name', ARGV[2], 'attributes', '{}', 'createdAt', ARGV[3])
      redis.call('SADD', KEYS[3], ARGV[1])
      redis.call('SADD', KEYS[4], ARGV[1])
      return 'OK'
      """;

  /**
   * KEYS: node, parent node, parent's children set, tenant nodes set.
   * ARGV: id, tenant, parentId, kind, name, attributes, createdAt.
   */
  static final String CREATE_NODE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 'DUPLICATE' end
      if redis.call('HGET', KEYS[2], 'tenant') ~= ARGV[2] then return 'NO_PARENT' end
      redis.call('HSET', KEYS[1], 'id', ARGV[1], 'tenant', ARGV[2], 'parentId', ARGV[3], 'kind', ARGV[4],
        'name', ARGV[5], 'attributes', ARGV[6], 'createdAt', ARGV[7])
      redis.call('SADD', KEYS[3], ARGV[1])
      redis.call('SADD', KEYS[4], ARGV[1])
      return 'OK'
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

  /** ARGV: start node id, node key prefix. Returns the DevEUIs attached to the node and all its descendants. */
  static final String SUBTREE_DEVICES = """
      local queue = {ARGV[1]}
      local devices = {}
      local i = 1
      while queue[i] do
        local id = queue[i]
        i = i + 1
        for _, d in ipairs(redis.call('SMEMBERS', ARGV[2] .. id .. ':devices')) do devices[#devices + 1] = d end
        for _, c in ipairs(redis.call('SMEMBERS', ARGV[2] .. id .. ':children')) do queue[#queue + 1] = c end
        if #queue > 200000 then return redis.error_reply('ERR subtree too large under ' .. ARGV[1]) end
      end
      return devices
      """;

  /**
   * KEYS: device, node, device type, node devices set, tenant devices set, [devaddr set].
   * ARGV: tenant, devEui, then the hash's field/value pairs.
   */
  static final String CREATE_DEVICE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 'DUPLICATE' end
      if redis.call('HGET', KEYS[2], 'tenant') ~= ARGV[1] then return 'NO_NODE' end
      if redis.call('EXISTS', KEYS[3]) == 0 then return 'NO_TYPE' end
      redis.call('HSET', KEYS[1], unpack(ARGV, 3))
      redis.call('SADD', KEYS[4], ARGV[2])
      redis.call('SADD', KEYS[5], ARGV[2])
      if KEYS[6] then redis.call('SADD', KEYS[6], ARGV[2]) end
      return 'OK'
      """;

  /** KEYS: device type, tenant device-types set. ARGV: id, then field/value pairs. Returns 1 when it replaced one. */
  static final String PUT_DEVICE_TYPE = """
      local existed = redis.call('EXISTS', KEYS[1])
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('SADD', KEYS[2], ARGV[1])
      return existed
      """;

  /** KEYS: user, tenant users set. ARGV: username, then field/value pairs. */
  static final String CREATE_USER = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 'DUPLICATE' end
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('SADD', KEYS[2], ARGV[1])
      return 'OK'
      """;

  /** KEYS: counter. ARGV: window seconds. Increments, starting the expiry on the first failure. */
  static final String COUNT_FAILURE = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  static Future<Response> eval(Redis redis, String script, List<String> keys, List<String> args) {
    var request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return redis.send(request);
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
