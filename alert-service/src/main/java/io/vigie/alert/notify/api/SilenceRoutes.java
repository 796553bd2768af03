package io.vigie.alert.notify.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.alert.notify.domain.Silence;
import io.vigie.alert.notify.store.SilenceStore;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.http.ApiException;
import io.vigie.registry.client.RegistryClient;
import java.time.Clock;
import java.util.Comparator;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.auth.VigiePrincipal;
import java.util.UUID;

/**
 * {@code POST /api/v1/silences}, {@code GET /api/v1/silences?nodeId=…} (running ones, in that subtree),
 * {@code GET|DELETE /api/v1/silences/{id}}. Anyone may read what their scopes cover; operators and admins create and
 * delete there.
 */
public record SilenceRoutes(SilenceStore store, RegistryClient registry, AuditLog audit, Clock clock) {
  static final int BODY_LIMIT = 16 * 1024;

  public static void mount(Router router, TokenVerifier verifier, SilenceRoutes routes) {
    router.route("/api/v1/silences*").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(new AuthHandler(verifier));
    router.post("/api/v1/silences").handler(routes::create);
    router.get("/api/v1/silences").handler(routes::list);
    router.get("/api/v1/silences/:id").handler(routes::get);
    router.delete("/api/v1/silences/:id").handler(routes::delete);
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var now = clock.instant();
    var request = Silence.Request.parse(ctx.body().asJsonObject(), now);
    Scopes.target(registry, principal, request.nodeId(), request.devEui())
        .compose(scope -> {
          Scopes.require(principal, Access.Action.ACKNOWLEDGE, scope.tenant(), scope.pathIds(), "silence notifications");
          var silence = new Silence(UUID.randomUUID().toString(), scope.tenant(), request.nodeId(), request.devEui(),
              request.until(), request.comment(), principal.subject(), now, scope.pathIds());
          return store.create(silence).map(silence);
        })
        .onSuccess(silence -> audit.record(event(principal, "create", silence).changes(null, silence.toJson())))
        .onSuccess(silence -> ctx.response().setStatusCode(201)
            .putHeader("Location", "/api/v1/silences/" + silence.id()).putHeader("Content-Type", "application/json")
            .end(silence.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.queryParams().get("nodeId");
    store.active(principal.tenant(), clock.instant())
        .map(silences -> silences.stream()
            .filter(s -> Scopes.sees(principal, s.tenant(), s.pathIds()))
            .filter(s -> nodeId == null || s.pathIds().contains(nodeId))
            .sorted(Comparator.comparing(Silence::until))
            .map(Silence::toJson).toList())
        .onSuccess(silences -> ctx.json(new JsonObject().put("silences", new JsonArray(silences))))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    visible(ctx).onSuccess(silence -> ctx.json(silence.toJson())).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    visible(ctx).compose(silence -> {
      Scopes.require(principal, Access.Action.ACKNOWLEDGE, silence.tenant(), silence.pathIds(), "delete a silence");
      return store.delete(silence).map(silence);
    }).onSuccess(silence -> {
      audit.record(event(principal, "delete", silence).changes(silence.toJson(), null));
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private static AuditEvent event(VigiePrincipal principal, String action, Silence silence) {
    return AuditEvent.by(principal, action, "silence", silence.id()).place(silence.tenant(), silence.pathIds())
        .comment(silence.comment());
  }

  /** The silence of the path, when the caller sees it; else 404. */
  private Future<Silence> visible(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    return store.get(id).compose(found -> found.isPresent() && Scopes.sees(principal, found.get().tenant(), found.get().pathIds())
        ? Future.succeededFuture(found.get()) : Future.failedFuture(ApiException.notFound("no silence " + id)));
  }
}
