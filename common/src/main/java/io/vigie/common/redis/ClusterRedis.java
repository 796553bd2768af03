package io.vigie.common.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * A Redis Cluster client ({@link RedisClients#create}) whose {@link #batch} accepts commands on keys of several nodes:
 * the Vert.x cluster client sends a pipeline to one node only, so the commands are grouped per node, each group sent as
 * one pipeline (all in parallel: one round trip), and the answers put back in the order of the commands.
 */
public final class ClusterRedis implements Redis {
  private final Redis cluster;
  private final RedisCluster nodes;

  ClusterRedis(Redis cluster) {
    this.cluster = cluster;
    this.nodes = RedisCluster.create(cluster);
  }

  /** Sends {@code request} (a {@code SCRIPT LOAD}, say) to every master; their answers. */
  public Future<List<Response>> onAllMasters(Request request) {
    return nodes.onAllMasterNodes(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return batchPerNode(requests, cluster::batch);
  }

  /**
   * The answers of {@code requests}, in order, each node's commands sent together by {@code send} (which may retry its
   * group on its own, as {@link RedisScript} does on {@code NOSCRIPT}).
   */
  public Future<List<Response>> batchPerNode(List<Request> requests, Function<List<Request>, Future<List<Response>>> send) {
    if (requests.size() <= 1) return send.apply(requests);
    return nodes.groupByNodes(requests).compose(grouping -> {
      var groups = new ArrayList<List<Request>>(grouping.getKeyed());
      if (!grouping.getUnkeyed().isEmpty()) groups.add(grouping.getUnkeyed());
      if (groups.size() == 1) return send.apply(requests);
      var place = new IdentityHashMap<Request, Integer>();
      for (int i = 0; i < requests.size(); i++) place.put(requests.get(i), i);
      var sent = groups.stream().map(send).toList();
      return Future.all(sent).map(all -> {
        var answers = new Response[requests.size()];
        for (int g = 0; g < groups.size(); g++) {
          List<Response> groupAnswers = all.resultAt(g);
          for (int i = 0; i < groupAnswers.size(); i++) answers[place.get(groups.get(g).get(i))] = groupAnswers.get(i);
        }
        return Arrays.asList(answers);
      });
    });
  }

  @Override
  public Future<Response> send(Request request) {
    return cluster.send(request);
  }

  @Override
  public Future<RedisConnection> connect() {
    return cluster.connect();
  }

  @Override
  public Future<Void> close() {
    return cluster.close();
  }
}
