package io.vigie.registry.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.NodeKind;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.domain.TreeNode;
import io.vigie.registry.store.NodeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/nodes}, {@code GET /api/v1/nodes/{id}}, {@code GET /api/v1/nodes/{id}/children},
 * {@code GET /api/v1/nodes/{id}/tree}. Creating a node needs role admin on the parent.
 */
public final class NodeRoutes {
  private final NodeStore nodes;
  private final NodeAccess access;
  private final Changes changes;

  public NodeRoutes(NodeStore nodes, Changes changes) {
    this.nodes = nodes;
    this.access = new NodeAccess(nodes);
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/nodes").handler(Requests.bodies(65_536)).handler(auth).handler(this::create);
    router.get("/api/v1/nodes/:id").handler(auth).handler(this::get);
    router.get("/api/v1/nodes/:id/children").handler(auth).handler(this::children);
    router.get("/api/v1/nodes/:id/tree").handler(auth).handler(this::tree);
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var body = Requests.body(ctx);
    var id = body.getValue("id") == null ? UUID.randomUUID().toString() : Requests.requiredId(body, "id");
    var parentId = Requests.requiredId(body, "parentId");
    var kind = NodeKinds.creatable(body.getValue("kind"));
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var attributes = Requests.optionalObject(body, "attributes");

    Attempts.retrying(() -> access.referenced(principal, "parentId", parentId, Access.Action.ADMINISTER)
            .compose(parent -> {
              var node = new Node(id, parent.tenant(), parentId, kind.wire(), name,
                  attributes == null ? new JsonObject() : attributes);
              return nodes.create(node, parent.ids()).map(outcome -> switch (outcome) {
                case OK -> {
                  changes.audit(Audits.node(principal, "create", Requests.append(parent.ids(), id), null, node));
                  yield NodeAccess.view(principal, node, Requests.append(parent.ids(), id));
                }
                case DUPLICATE -> throw ApiException.conflict("node '" + id + "' already exists");
                case RECENTLY_DELETED -> throw ApiException.conflict("node id '" + id
                    + "' belonged to a node deleted recently; choose another id (or let one be generated)");
                case TOO_DEEP -> throw ApiException.badRequest("the tree may not be deeper than " + NodeStore.MAX_DEPTH);
                case CHANGED -> throw new Attempts.Changed();
                default -> throw NodeAccess.notVisible("parentId", parentId);
              });
            }))
        .onSuccess(json -> {
          changes.publish(Kind.NODE, id, json.getString("tenant"));
          Requests.created(ctx, "/api/v1/nodes/" + id, json);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    access.visible(principal, ctx.pathParam("id"))
        .onSuccess(path -> Requests.ok(ctx, NodeAccess.view(principal, path)))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void children(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    access.visible(principal, ctx.pathParam("id"))
        .compose(path -> nodes.children(path.node().id()).map(list -> {
          var out = new JsonArray();
          list.forEach(child -> out.add(NodeAccess.view(principal, child, Requests.append(path.ids(), child.id()))));
          return new JsonObject().put("nodes", out);
        }))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** The node with its whole subtree nested: each node with {@code devices} (DevEUIs) and {@code children}. */
  private void tree(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    access.visible(principal, ctx.pathParam("id"))
        .compose(path -> nodes.subtree(path.node().id()).map(list -> nest(principal, path, list)))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  static JsonObject nest(VigiePrincipal principal, NodePath path, List<TreeNode> subtree) {
    Map<String, List<TreeNode>> byParent = new HashMap<>();
    for (var entry : subtree) byParent.computeIfAbsent(entry.node().parentId(), k -> new ArrayList<>()).add(entry);
    var start = subtree.isEmpty() ? new TreeNode(path.node(), List.of()) : subtree.get(0);
    return nest(principal, start, path.ids(), byParent);
  }

  private static JsonObject nest(VigiePrincipal principal, TreeNode entry, List<String> pathIds,
                                 Map<String, List<TreeNode>> byParent) {
    var json = NodeAccess.view(principal, entry.node(), pathIds).put("devices", new JsonArray(entry.devices()));
    var children = new JsonArray();
    var kids = new ArrayList<>(byParent.getOrDefault(entry.node().id(), List.of()));
    kids.sort((a, b) -> Node.BY_NAME.compare(a.node(), b.node()));
    for (var kid : kids) children.add(nest(principal, kid, Requests.append(pathIds, kid.node().id()), byParent));
    return json.put("children", children);
  }

  /** Validation of node kinds. */
  static final class NodeKinds {
    private static final String KINDS = String.join(", ", java.util.Arrays.stream(NodeKind.values())
        .filter(k -> k != NodeKind.TENANT).map(NodeKind::wire).toList());

    private NodeKinds() {}

    static NodeKind creatable(Object value) {
      var kind = value instanceof String s ? NodeKind.creatable(s) : java.util.Optional.<NodeKind>empty();
      return kind.orElseThrow(() -> ApiException.badRequest("kind must be one of " + KINDS));
    }
  }
}
