package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodeChange;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.domain.Tenant;
import io.vigie.registry.domain.TreeNode;
import io.vigie.registry.domain.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** {@link NodeStore} on Redis: one hash per node, a children set per node, written by Lua scripts. */
public final class RedisNodeStore implements NodeStore {
  private static final String[] FIELDS = {"id", "tenant", "parentId", "kind", "name", "attributes"};

  private final Redis redis;
  private final int tombstoneSeconds;

  /** @param tombstoneSeconds how long a deleted node id stays unusable: the longest token lifetime */
  public RedisNodeStore(Redis redis, int tombstoneSeconds) {
    this.redis = redis;
    this.tombstoneSeconds = tombstoneSeconds;
  }

  @Override
  public Future<Outcome> createTenant(String id, String name, User firstAdmin) {
    var args = new ArrayList<>(List.of(id, name, Instant.now().toString()));
    if (firstAdmin != null) {
      args.add(firstAdmin.username());
      args.addAll(RedisUserStore.hashFields(firstAdmin));
    }
    return Scripts.run(redis, Scripts.CREATE_TENANT, args).map(Scripts::outcome);
  }

  @Override
  public Future<List<Tenant>> tenants() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.tenants())).compose(members -> {
      var ids = Scripts.strings(members);
      if (ids.isEmpty()) return Future.succeededFuture(List.<Tenant>of());
      return redis.batch(ids.stream().map(id -> Request.cmd(Command.HMGET).arg(RedisKeys.tenant(id))
              .arg("id").arg("name").arg("createdAt")).toList())
          .map(rows -> rows.stream().map(Scripts::strings).filter(v -> v.get(0) != null)
              .map(v -> new Tenant(v.get(0), v.get(1), v.get(2)))
              .sorted(Comparator.comparing(Tenant::id)).toList());
    });
  }

  @Override
  public Future<Affected> deleteTenant(String id) {
    return Scripts.run(redis, Scripts.DELETE_TENANT, List.of(id, String.valueOf(tombstoneSeconds)))
        .map(r -> new Affected(Scripts.outcome(r), Scripts.listAt(r, 1), Scripts.listAt(r, 2), Scripts.listAt(r, 3),
            Scripts.listAt(r, 4)));
  }

  @Override
  public Future<Outcome> create(Node node, List<String> expectedParentPath) {
    return Scripts.run(redis, Scripts.CREATE_NODE, List.of(node.id(), node.tenant(), node.parentId(), node.kind(),
            node.name(), node.attributes().encode(), Instant.now().toString(), Scripts.joined(expectedParentPath),
            String.valueOf(MAX_DEPTH)))
        .map(Scripts::outcome);
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

  @Override
  public Future<List<TreeNode>> subtree(String id) {
    return Scripts.run(redis, Scripts.SUBTREE, List.of(id, String.valueOf(MAX_SUBTREE))).map(response -> {
      var out = new ArrayList<TreeNode>(response.size());
      for (var row : response) {
        var values = Scripts.strings(row);
        if (values.get(0) == null) continue;
        out.add(new TreeNode(node(values), values.subList(FIELDS.length, values.size())));
      }
      return out;
    });
  }

  @Override
  public Future<Outcome> update(String id, List<String> expectedPath, NodeChange change) {
    var args = new ArrayList<>(List.of(id, Scripts.joined(expectedPath)));
    args.addAll(Scripts.fields("name", change.name(), "kind", change.kind(),
        "attributes", change.attributes() == null ? null : change.attributes().encode(),
        "updatedAt", Instant.now().toString()));
    return Scripts.run(redis, Scripts.UPDATE_NODE, args).map(Scripts::outcome);
  }

  @Override
  public Future<Affected> move(String id, List<String> expectedPath, String parentId, List<String> expectedParentPath) {
    return Scripts.run(redis, Scripts.MOVE_NODE, List.of(id, parentId, Scripts.joined(expectedPath),
            Scripts.joined(expectedParentPath), String.valueOf(MAX_DEPTH), String.valueOf(MAX_SUBTREE)))
        .map(RedisNodeStore::affected);
  }

  @Override
  public Future<Affected> delete(String id, List<String> expectedPath, boolean cascade) {
    return Scripts.run(redis, Scripts.DELETE_NODE, List.of(id, Scripts.joined(expectedPath), cascade ? "1" : "0",
            String.valueOf(tombstoneSeconds), String.valueOf(MAX_SUBTREE)))
        .map(RedisNodeStore::affected);
  }

  private static Affected affected(Response r) {
    return new Affected(Scripts.outcome(r), Scripts.listAt(r, 1), Scripts.listAt(r, 2), Scripts.listAt(r, 3),
        Scripts.listAt(r, 4));
  }

  private static Request hmget(String key) {
    var request = Request.cmd(Command.HMGET).arg(key);
    for (var field : FIELDS) request.arg(field);
    return request;
  }

  private static List<Node> nodes(List<Response> responses) {
    return responses.stream().map(Scripts::strings).filter(values -> values.get(0) != null)
        .map(RedisNodeStore::node)
        .sorted(Node.BY_NAME)
        .toList();
  }

  static Node node(List<String> values) {
    var parent = values.get(2);
    var attributes = values.get(5);
    return new Node(Objects.requireNonNull(values.get(0)), values.get(1), parent == null || parent.isEmpty() ? null : parent,
        values.get(3), values.get(4), attributes == null || attributes.isEmpty() ? new JsonObject() : new JsonObject(attributes));
  }
}
