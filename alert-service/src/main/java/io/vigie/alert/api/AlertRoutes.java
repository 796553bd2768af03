package io.vigie.alert.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.alert.store.AlertStore;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;

/**
 * {@code GET /api/v1/alerts?nodeId=…&status=…} and {@code GET /api/v1/alerts/{id}}: only what the
 * caller's scopes cover; an alert out of scope does not exist for the caller (404).
 */
public final class AlertRoutes {
  private final AlertStore store;

  private AlertRoutes(AlertStore store) {
    this.store = store;
  }

  public static Router router(Vertx vertx, AlertStore store, TokenVerifier verifier) {
    var routes = new AlertRoutes(store);
    var router = Router.router(vertx);
    router.route("/api/v1/alerts*").handler(new AuthHandler(verifier));
    router.get("/api/v1/alerts").handler(routes::list);
    router.get("/api/v1/alerts/:id").handler(routes::get);
    return router;
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.queryParams().get("nodeId");
    AlertStatus status;
    try {
      var wanted = ctx.queryParams().get("status");
      status = wanted == null || wanted.isBlank() ? null : AlertStatus.fromWire(wanted);
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    store.listByTenant(principal.tenant())
        .map(alerts -> alerts.stream()
            .filter(a -> visible(principal, a))
            .filter(a -> nodeId == null || a.pathIds().contains(nodeId))
            .filter(a -> status == null || a.status() == status)
            .map(Alert::toJson).toList())
        .onSuccess(alerts -> ctx.json(new JsonObject().put("alerts", new JsonArray(alerts))))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    store.get(id)
        .onSuccess(alert -> {
          if (alert.isPresent() && visible(principal, alert.get())) {
            ctx.json(alert.get().toJson());
          } else {
            ctx.fail(ApiException.notFound("no alert " + id));
          }
        })
        .onFailure(ctx::fail);
  }

  private static boolean visible(VigiePrincipal principal, Alert alert) {
    return Access.allows(principal, Access.Action.READ, alert.tenant(), alert.pathIds());
  }
}
