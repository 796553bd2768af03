package io.vigie.alert.api;

import io.vertx.core.Future;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.alert.domain.Rule;
import io.vigie.alert.domain.RuleParser;
import io.vigie.alert.domain.Rules;
import io.vigie.alert.store.RuleStore;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.registry.client.RegistryClient;
import java.util.List;

/**
 * The alert rules API. A node's rule is read by whoever sees the node and written by its operators and admins; a
 * device type's rule is read by the whole tenant and written by operators and admins of the tenant root. A rule out of
 * the caller's reach does not exist for the caller (404).
 */
public record RuleRoutes(RuleStore rules, RegistryClient registry, AuditLog audit) {

  public void mount(Router router, AuthHandler auth) {
    router.put("/api/v1/alert-rules/:id").handler(BodyHandler.create().setBodyLimit(65_536)).handler(auth).handler(this::put);
    router.get("/api/v1/alert-rules").handler(auth).handler(this::list);
    router.get("/api/v1/alert-rules/:id").handler(auth).handler(this::get);
    router.delete("/api/v1/alert-rules/:id").handler(auth).handler(this::delete);
    router.get("/api/v1/nodes/:id/effective-rules").handler(auth).handler(this::effective);
  }

  private void put(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    Rule rule;
    try {
      var body = ctx.body().asJsonObject();
      if (body == null) throw new IllegalArgumentException("the body is a rule JSON object");
      rule = RuleParser.parse(ctx.pathParam("id"), principal.tenant(), body);
    } catch (RuntimeException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    rules.all(principal.tenant()).compose(all -> {
      var existing = find(all, rule.id());
      // an id taken out of the caller's reach: 409 like channels, never the node of that rule
      var mayReplace = existing == null ? Future.succeededFuture() : readable(principal, existing, rule.id())
          .recover(e -> Future.failedFuture(e instanceof ApiException api && api.status() == 404
              ? ApiException.conflict("the alert rule id " + rule.id() + " is taken: choose another") : e))
          .compose(seen -> writable(principal, existing));
      return mayReplace.compose(ok -> writable(principal, rule)).compose(ok -> rules.put(rule))
          .onSuccess(ok -> audited(principal, existing == null ? "create" : "update", existing, rule))
          .map(existing != null);
    }).onSuccess(replaced -> ctx.response().setStatusCode(replaced ? 200 : 201)
            .putHeader("Location", "/api/v1/alert-rules/" + rule.id()).putHeader("Content-Type", "application/json")
            .end(rule.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    rules.all(principal.tenant()).compose(all -> readable(principal, find(all, id), id))
        .onSuccess(rule -> ctx.json(rule.toJson())).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    rules.all(principal.tenant()).compose(all -> readable(principal, find(all, id), id))
        .compose(rule -> writable(principal, rule).compose(ok -> rules.delete(principal.tenant(), id))
            .onSuccess(ok -> audited(principal, "delete", rule, null)))
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** The rules defined on a node ({@code nodeId}), on a device type ({@code deviceType}), or every rule the caller sees. */
  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.queryParams().get("nodeId");
    var deviceType = ctx.queryParams().get("deviceType");
    rules.all(principal.tenant()).compose(all -> {
      var wanted = all.stream().filter(r -> (nodeId == null || nodeId.equals(r.nodeId()))
          && (deviceType == null || deviceType.equals(r.deviceType()))).toList();
      return Future.all(wanted.stream().map(r -> readable(principal, r, r.id()).map(Rule::toJson).otherwise((JsonObject) null)).toList());
    }).onSuccess(all -> ctx.json(new JsonObject().put("rules",
            new JsonArray(all.<JsonObject>list().stream().filter(java.util.Objects::nonNull).toList()))))
        .onFailure(ctx::fail);
  }

  /** What applies at a node (for devices of {@code deviceType} when given), each rule with where it comes from. */
  private void effective(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.pathParam("id");
    var deviceType = ctx.queryParams().get("deviceType");
    registry.node(principal.tenant(), nodeId).compose(node -> {
      if (!Access.allows(principal, Access.Action.READ, node.tenant(), node.pathIds())) {
        return Future.failedFuture(ApiException.notFound("unknown node " + nodeId));
      }
      return rules.all(principal.tenant()).map(all -> new JsonObject().put("nodeId", nodeId)
          .put("rules", new JsonArray(Rules.effective(all, node.pathIds(), deviceType).stream()
              .map(Rules.Effective::toJson).toList())));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private Future<Rule> readable(VigiePrincipal principal, Rule rule, String id) {
    if (rule == null) return Future.failedFuture(ApiException.notFound("no alert rule " + id));
    if (rule.nodeId() == null) return Future.succeededFuture(rule);
    return registry.nodeScope(principal.tenant(), rule.nodeId())
        .recover(e -> Future.failedFuture(ApiException.notFound("no alert rule " + id)))
        .compose(scope -> Access.allows(principal, Access.Action.READ, scope.tenant(), scope.pathIds())
            ? Future.succeededFuture(rule) : Future.failedFuture(ApiException.notFound("no alert rule " + id)));
  }

  private Future<Void> writable(VigiePrincipal principal, Rule rule) {
    var scope = rule.nodeId() == null
        ? Future.succeededFuture(List.of(principal.tenant()))
        : registry.nodeScope(principal.tenant(), rule.nodeId()).map(s -> s.pathIds())
            .recover(e -> Future.failedFuture(e instanceof ApiException api && api.status() == 404
                ? ApiException.badRequest("unknown node " + rule.nodeId()) : e));
    return scope.compose(path -> {
      if (rule.nodeId() != null && !Access.allows(principal, Access.Action.READ, principal.tenant(), path)) {
        return Future.failedFuture(ApiException.badRequest("unknown node " + rule.nodeId()));
      }
      return Access.allows(principal, Access.Action.MANAGE_DEVICES, principal.tenant(), path) ? Future.<Void>succeededFuture()
          : Future.failedFuture(ApiException.forbidden("alert rules there need the operator or admin role"
              + (rule.nodeId() == null ? " at the tenant root" : " on node " + rule.nodeId())));
    });
  }

  /** Records a rule's change where the rule applies (the tenant root for a tenant-wide or device-type rule). */
  private void audited(VigiePrincipal principal, String action, Rule before, Rule after) {
    var rule = after != null ? after : before;
    var path = rule.nodeId() == null ? Future.succeededFuture(List.of(principal.tenant()))
        : registry.nodeScope(principal.tenant(), rule.nodeId()).map(s -> s.pathIds());
    path.onSuccess(ids -> audit.record(AuditEvent.by(principal, action, "rule", rule.id()).name(rule.name())
        .place(principal.tenant(), ids)
        .changes(before == null ? null : before.toJson(), after == null ? null : after.toJson())));
  }

  private static Rule find(List<Rule> all, String id) {
    return all.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }
}
