package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodePath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** {@link NodeStore} on Redis: one hash per node, a children set per node, written by Lua scripts. */
public final class RedisNodeStore implements NodeStore {
  private static final String[] FIELDS = {"id", "tenant", "parentId", "kind", "name", "attributes"};

  private final Redis redis;

  public RedisNodeStore(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Future<Outcome> createTenant(String id, String name) {
    return Scripts.eval(redis, Scripts.CREATE_TENANT,
            List.of(RedisKeys.tenant(id), RedisKeys.node(id), RedisKeys.tenants(), RedisKeys.tenantNodes(id)),
            List.of(id, name, Instant.now().toString()))
        .map(Outcome::of);
  }

  @Override
  public Future<Outcome> create(Node node) {
    return Scripts.eval(redis, Scripts.CREATE_NODE,
            List.of(RedisKeys.node(node.id()), RedisKeys.node(node.parentId()), RedisKeys.children(node.parentId()),
                RedisKeys.tenantNodes(node.tenant())),
            List.of(node.id(), node.tenant(), node.parentId(), node.kind(), node.name(),
                node.attributes().encode(), Instant.now().toString()))
        .map(Outcome::of);
  }

  @Override
  public Future<NodePath> path(String id) {
    return Scripts.eval(redis, Scripts.PATH, List.of(RedisKeys.node(id)), List.of(RedisKeys.NODE))
        .map(response -> {
          if (response == null || response.size() == 0) return null;
          var nodes = new ArrayList<Node>(response.size());
          for (int i = response.size() - 1; i >= 0; i--) nodes.add(node(Scripts.strings(response.get(i))));
          return new NodePath(nodes);
        });
  }

  @Override
  public Future<List<Node>> children(String id) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.children(id)))
        .compose(members -> {
          var ids = Scripts.strings(members);
          if (ids.isEmpty()) return Future.succeededFuture(List.<Node>of());
          var requests = ids.stream().map(child -> hmget(RedisKeys.node(child))).toList();
          return redis.batch(requests).map(RedisNodeStore::nodes);
        });
  }

  private static Request hmget(String key) {
    var request = Request.cmd(Command.HMGET).arg(key);
    for (var field : FIELDS) request.arg(field);
    return request;
  }

  private static List<Node> nodes(List<Response> responses) {
    return responses.stream().map(Scripts::strings).filter(values -> values.get(0) != null)
        .map(RedisNodeStore::node)
        .sorted(Comparator.comparing(Node::name, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER))
            .thenComparing(Node::id))
        .toList();
  }

  static Node node(List<String> values) {
    var parent = values.get(2);
    var attributes = values.get(5);
    return new Node(Objects.requireNonNull(values.get(0)), values.get(1), parent == null || parent.isEmpty() ? null : parent,
        values.get(3), values.get(4), attributes == null || attributes.isEmpty() ? new JsonObject() : new JsonObject(attributes));
  }
}
