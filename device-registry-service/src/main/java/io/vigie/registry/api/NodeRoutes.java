package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.http.ApiException;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodeKind;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.NodeStore;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code POST /api/v1/nodes}, {@code GET /api/v1/nodes/{id}}, {@code GET /api/v1/nodes/{id}/children}.
 * Creating a node needs role admin on the parent's subtree.
 */
public final class NodeRoutes {
  private static final String KINDS = Arrays.stream(NodeKind.values()).filter(k -> k != NodeKind.TENANT)
      .map(NodeKind::wire).collect(Collectors.joining(", "));

  private final NodeStore nodes;
  private final Changes changes;

  public NodeRoutes(NodeStore nodes, Changes changes) {
    this.nodes = nodes;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/nodes").handler(BodyHandler.create().setBodyLimit(65_536)).handler(auth).handler(this::create);
    router.get("/api/v1/nodes/:id").handler(auth).handler(this::get);
    router.get("/api/v1/nodes/:id/children").handler(auth).handler(this::children);
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var body = Requests.body(ctx);
    var id = body.getValue("id") == null ? UUID.randomUUID().toString() : Requests.requiredId(body, "id");
    var parentId = Requests.requiredId(body, "parentId");
    var kindValue = body.getValue("kind");
    var kind = kindValue instanceof String s ? NodeKind.creatable(s) : Optional.<NodeKind>empty();
    if (kind.isEmpty()) throw ApiException.badRequest("kind must be one of " + KINDS);
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var attributes = Requests.optionalObject(body, "attributes");
    var unknownParent = ApiException.badRequest("parentId '" + parentId + "' is not a node you can see");

    nodes.path(parentId)
        .compose(parent -> {
          if (parent == null) return Future.failedFuture(unknownParent);
          var ids = Requests.append(parent.ids(), id);
          Requests.requireAllowed(principal, Access.Action.ADMINISTER, parent.tenant(), ids, unknownParent);
          var node = new Node(id, parent.tenant(), parentId, kind.get().wire(), name,
              attributes == null ? new JsonObject() : attributes);
          return nodes.create(node).map(outcome -> switch (outcome) {
            case OK -> node.toJson(ids);
            case DUPLICATE -> throw ApiException.conflict("node '" + id + "' already exists");
            default -> throw unknownParent;
          });
        })
        .onSuccess(json -> {
          changes.publish("node", id, json.getString("tenant"));
          Requests.created(ctx, "/api/v1/nodes/" + id, json);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void get(RoutingContext ctx) {
    visible(ctx).onSuccess(path -> Requests.ok(ctx, path.node().toJson(path.ids()))).onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void children(RoutingContext ctx) {
    visible(ctx)
        .compose(path -> nodes.children(path.node().id()).map(list -> {
          var out = new JsonArray();
          list.forEach(child -> out.add(child.toJson(Requests.append(path.ids(), child.id()))));
          return new JsonObject().put("nodes", out);
        }))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** The node of the path parameter with its path, or 404 when it is missing or outside the caller's scopes. */
  private Future<NodePath> visible(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var notFound = ApiException.notFound("node '" + id + "' not found");
    if (!Ids.isId(id)) return Future.failedFuture(notFound);
    return nodes.path(id).map(path -> {
      if (path == null) throw notFound;
      Requests.requireVisible(principal, path.tenant(), path.ids(), notFound.getMessage());
      return path;
    });
  }
}
