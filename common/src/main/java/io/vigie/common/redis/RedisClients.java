package io.vigie.common.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one place a Vigie service builds its Redis client from {@code VIGIE_REDIS_URL}: one URL, a standalone (or
 * replicated) Redis; several comma-separated URLs, the nodes of a Redis Cluster, all given to the Vert.x client as
 * endpoints in {@link RedisClientType#CLUSTER} mode and wrapped in a {@link ClusterRedis} (pipelines split per node).
 */
public final class RedisClients {
  private RedisClients() {}

  /** A client with {@code options} (pool sizes, protocol…) for one URL or, comma-separated, a cluster's nodes. */
  public static Redis create(Vertx vertx, String urls, RedisOptions options) {
    var endpoints = endpoints(urls);
    if (endpoints.size() == 1) return Redis.createClient(vertx, options.setConnectionString(endpoints.get(0)));
    return new ClusterRedis(Redis.createClient(vertx, options.setType(RedisClientType.CLUSTER).setEndpoints(endpoints)));
  }

  public static Redis create(Vertx vertx, String urls) {
    return create(vertx, urls, new RedisOptions());
  }

  /** The URLs of a comma-separated list, trimmed, blanks dropped. */
  public static List<String> endpoints(String urls) {
    var endpoints = Arrays.stream(urls.split(",")).map(String::trim).filter(url -> !url.isEmpty()).toList();
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no Redis URL in '" + urls + "'");
    return endpoints;
  }

  /** Whether the client talks to a Redis Cluster (then a script call's keys must share one slot). */
  public static boolean clustered(Redis redis) {
    return redis instanceof ClusterRedis;
  }

  /**
   * The values of {@code keys}, in order ({@code null} when missing): one {@code MGET} on a single Redis, a pipeline of
   * {@code GET}s on a cluster (keys of several slots).
   */
  public static Future<List<Response>> values(Redis redis, List<String> keys) {
    if (keys.isEmpty()) return Future.succeededFuture(List.of());
    if (clustered(redis)) return redis.batch(keys.stream().map(key -> Request.cmd(Command.GET).arg(key)).toList());
    var mget = Request.cmd(Command.MGET);
    keys.forEach(mget::arg);
    return redis.send(mget).map(answer -> {
      var out = new ArrayList<Response>(answer.size());
      answer.forEach(out::add);
      return out;
    });
  }

  /** The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag (the first non-empty {@code {...}}) or of the whole key, mod 16384. */
  public static int slot(String key) {
    var bytes = key.getBytes(StandardCharsets.UTF_8);
    int from = 0, to = bytes.length;
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        from = key.substring(0, open + 1).getBytes(StandardCharsets.UTF_8).length;
        to = key.substring(0, close).getBytes(StandardCharsets.UTF_8).length;
      }
    }
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
    }
    return (crc & 0xffff) % 16384;
  }
}
