package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.domain.NodeChange;
import io.vigie.registry.domain.NodePath;
import io.vigie.registry.store.Affected;
import io.vigie.registry.store.NodeStore;
import java.util.List;
import java.util.Set;

/**
 * {@code PATCH|DELETE /api/v1/nodes/{id}} and {@code POST /api/v1/nodes/{id}/move}. Renaming needs admin on the
 * node; moving and deleting change the parent, so they need admin on the parent (and on the new parent).
 */
public final class NodeChangeRoutes {
  private static final Set<String> PATCHABLE = Set.of("name", "kind", "attributes");

  private final NodeStore nodes;
  private final NodeAccess access;
  private final Changes changes;

  public NodeChangeRoutes(NodeStore nodes, Changes changes) {
    this.nodes = nodes;
    this.access = new NodeAccess(nodes);
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.patch("/api/v1/nodes/:id").handler(Requests.bodies(65_536)).handler(auth).handler(this::patch);
    router.delete("/api/v1/nodes/:id").handler(auth).handler(this::delete);
    router.post("/api/v1/nodes/:id/move").handler(Requests.bodies(4096)).handler(auth).handler(this::move);
  }

  private void patch(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var body = Requests.body(ctx);
    if (body.containsKey("parentId")) {
      throw ApiException.badRequest("to change a node's parent, POST /api/v1/nodes/" + id + "/move {\"parentId\"}");
    }
    for (var field : body.fieldNames()) {
      if (!PATCHABLE.contains(field)) throw ApiException.badRequest("a node's " + field + " cannot be changed");
    }
    var change = new NodeChange(Requests.optionalString(body, "name", Requests.NAME_MAX),
        body.getValue("kind") == null ? null : NodeRoutes.NodeKinds.creatable(body.getValue("kind")).wire(),
        Requests.optionalObject(body, "attributes"));
    if (change.isEmpty()) throw ApiException.badRequest("nothing to change: give name, kind or attributes");

    Attempts.retrying(() -> access.visible(principal, id).compose(path -> {
          NodeAccess.require(principal, Access.Action.ADMINISTER, path.tenant(), path.ids(), NodeAccess.nodeNotFound(id));
          if (path.node().isRoot() && change.kind() != null) {
            throw ApiException.badRequest("the kind of a tenant's root is tenant");
          }
          return nodes.update(id, path.ids(), change).compose(outcome -> switch (outcome) {
            case OK -> nodes.path(id).onSuccess(after -> {
              if (after != null) changes.audit(Audits.node(principal, "update", after.ids(), path.node(), after.node()));
            });
            case CHANGED -> throw new Attempts.Changed();
            default -> throw NodeAccess.nodeNotFound(id);
          });
        }))
        .onSuccess(path -> {
          if (path == null) {
            ctx.fail(NodeAccess.nodeNotFound(id));
            return;
          }
          changes.publish(Kind.NODE, id, path.tenant());
          Requests.ok(ctx, NodeAccess.view(principal, path));
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void move(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var parentId = Requests.requiredId(Requests.body(ctx), "parentId");

    var before = new java.util.concurrent.atomic.AtomicReference<NodePath>();
    Attempts.retrying(() -> structural(principal, id).compose(path ->
            access.referenced(principal, "parentId", parentId, Access.Action.ADMINISTER).compose(parent ->
                nodes.move(id, path.ids(), parentId, parent.ids()).map(affected -> switch (affected.outcome()) {
                  case OK -> {
                    before.set(path);
                    yield affected;
                  }
                  case UNCHANGED -> affected;
                  case CYCLE -> throw ApiException.badRequest("a node cannot move under itself or one of its descendants");
                  case TOO_DEEP -> throw ApiException.badRequest("the tree may not be deeper than " + NodeStore.MAX_DEPTH);
                  case TOO_LARGE -> throw ApiException.conflict("the subtree is too large to move at once");
                  case CHANGED -> throw new Attempts.Changed();
                  case NO_NODE -> throw NodeAccess.nodeNotFound(id);
                  default -> throw NodeAccess.notVisible("parentId", parentId);
                }))))
        .compose(affected -> nodes.path(id).map(path -> {
          if (path == null) throw NodeAccess.nodeNotFound(id);
          if (affected.outcome() == io.vigie.registry.store.Outcome.OK) {
            published(affected, path.tenant());
            changes.audit(Audits.node(principal, "move", path.ids(), before.get().node(), path.node())
                .with("fromPath", new io.vertx.core.json.JsonArray(before.get().ids()))
                .with("nodes", affected.nodes().size()).with("devices", affected.devices().size()));
          }
          return NodeAccess.view(principal, path);
        }))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var cascade = "true".equalsIgnoreCase(ctx.queryParams().get("cascade"));

    Attempts.retrying(() -> structural(principal, id).compose(path ->
            nodes.delete(id, path.ids(), cascade).map(affected -> switch (affected.outcome()) {
              case OK -> {
                changes.audit(Audits.node(principal, "delete", path.ids(), path.node(), null).with("cascade", cascade)
                    .with("nodes", affected.nodes().size()).with("devices", affected.devices().size()));
                yield new Deleted(path.tenant(), affected);
              }
              case NOT_EMPTY -> throw ApiException.conflict("node '" + id
                  + "' has children or devices: delete them first, or DELETE with ?cascade=true");
              case TOO_LARGE -> throw ApiException.conflict("the subtree is too large to delete at once");
              case CHANGED -> throw new Attempts.Changed();
              default -> throw NodeAccess.nodeNotFound(id);
            })))
        .onSuccess(deleted -> {
          published(deleted.affected(), deleted.tenant());
          Requests.noContent(ctx);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private record Deleted(String tenant, Affected affected) {}

  /** A node whose place in the tree changes: visible, not a root, and the caller administers its parent. */
  private Future<NodePath> structural(VigiePrincipal principal, String id) {
    return access.visible(principal, id).map(path -> {
      if (path.node().isRoot()) {
        throw ApiException.badRequest("a tenant's root node cannot be moved or deleted (DELETE /api/v1/tenants/{id})");
      }
      List<String> parentIds = path.ids().subList(0, path.ids().size() - 1);
      if (!Access.allows(principal, Access.Action.ADMINISTER, path.tenant(), parentIds)) {
        throw NodeAccess.forbidden(principal);
      }
      return path;
    });
  }

  private void published(Affected affected, String tenant) {
    changes.publishAll(Kind.NODE, affected.nodes(), tenant);
    changes.publishAll(Kind.DEVICE, affected.devices(), tenant);
    changes.publishAll(Kind.USER, affected.users(), tenant);
    changes.publishAll(Kind.CLIENT, affected.clients(), tenant);
  }
}
