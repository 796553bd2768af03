package io.vigie.alert.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.alert.domain.Severity;
import io.vigie.alert.history.AlertHistory;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vigie.alert.store.AlertTransitions;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * The alerts API: list (filtered by subtree, status, severity, start time), read, acknowledge, clear, history. Only
 * what the caller's scopes cover: an alert out of scope does not exist for the caller (404); acknowledging or clearing
 * needs the operator or admin role (403).
 */
public final class AlertRoutes {
  private final RedisAlertStore store;
  private final AlertTransitions transitions;
  private final AlertHistory history;
  private final Consumer<JsonObject> published;
  private final Clock clock;
  private final AuditLog audit;

  /** @param history null when no Elasticsearch is configured (the history route then answers 503) */
  public AlertRoutes(RedisAlertStore store, AlertHistory history, Consumer<JsonObject> published, Clock clock, AuditLog audit) {
    this.audit = audit;
    this.store = store;
    this.transitions = new AlertTransitions(store);
    this.history = history;
    this.published = published;
    this.clock = clock;
  }

  public void mount(Vertx vertx, Router router, AuthHandler auth) {
    router.get("/api/v1/alerts").handler(auth).handler(this::list);
    router.get("/api/v1/alerts/:id").handler(auth).handler(this::get);
    router.get("/api/v1/alerts/:id/history").handler(auth).handler(this::history);
    router.post("/api/v1/alerts/:id/ack").handler(BodyHandler.create().setBodyLimit(8192)).handler(auth)
        .handler(ctx -> act(ctx, "ack"));
    router.post("/api/v1/alerts/:id/clear").handler(BodyHandler.create().setBodyLimit(8192)).handler(auth)
        .handler(ctx -> act(ctx, "clear"));
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var query = ctx.queryParams();
    var nodeId = query.get("nodeId");
    AlertStatus status;
    String severity;
    Instant from;
    Instant to;
    try {
      status = blank(query.get("status")) ? null : AlertStatus.fromWire(query.get("status"));
      severity = blank(query.get("severity")) ? null : Severity.check(query.get("severity"), "severity");
      from = instant(query.get("from"), "from");
      to = instant(query.get("to"), "to");
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    store.listByTenant(principal.tenant(), from, to)
        .map(alerts -> alerts.stream()
            .filter(a -> visible(principal, a))
            .filter(a -> nodeId == null || a.pathIds().contains(nodeId))
            .filter(a -> status == null || a.status() == status)
            .filter(a -> severity == null || severity.equals(a.severity()))
            .map(Alert::toJson).toList())
        .onSuccess(alerts -> ctx.json(new JsonObject().put("alerts", new JsonArray(alerts))))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    visible(ctx).onSuccess(alert -> ctx.json(alert.toJson())).onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    if (history == null) {
      ctx.fail(ApiException.unavailable("alert history needs Elasticsearch (elasticsearch.url, VIGIE_ES_URL)"));
      return;
    }
    visible(ctx).compose(alert -> history.of(alert.id()))
        .onSuccess(list -> ctx.json(new JsonObject().put("alertId", ctx.pathParam("id")).put("transitions", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void act(RoutingContext ctx, String action) {
    var principal = AuthHandler.principal(ctx);
    String comment;
    try {
      var body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      var value = body == null ? null : body.getValue("comment");
      if (value != null && !(value instanceof String)) throw new IllegalArgumentException("comment must be a string");
      comment = (String) value;
      if (comment != null && comment.length() > 2000) throw new IllegalArgumentException("comment is at most 2000 characters");
    } catch (RuntimeException e) {
      ctx.fail(ApiException.badRequest("the body is {\"comment\"?}: " + e.getMessage()));
      return;
    }
    visible(ctx).compose(alert -> {
      if (!Access.allows(principal, Access.Action.ACKNOWLEDGE, alert.tenant(), alert.pathIds())) {
        return Future.failedFuture(ApiException.forbidden("acknowledging and clearing alerts needs the operator or admin role"));
      }
      return transitions.act(alert, action, principal.subject(), clock.instant(), comment)
          .onSuccess(acted -> {
            if (acted.status() == 200) {
              audit.record(AuditEvent.by(principal, action, "alert", alert.id()).name(alert.ruleName())
                  .place(alert.tenant(), alert.pathIds()).comment(comment).with("devEui", alert.devEui())
                  .changes(new JsonObject().put("status", alert.status().wire()),
                      new JsonObject().put("status", acted.alert().getString("status"))));
            }
          });
    }).onSuccess(acted -> {
      switch (acted.status()) {
        case 200 -> {
          published.accept(acted.alert());
          ctx.json(Alert.fromJson(acted.alert()).toJson());
        }
        case 409 -> ctx.fail(ApiException.conflict("alert " + ctx.pathParam("id") + " is " + acted.alert().getString("status")
            + ("ack".equals(action) ? ": only an active alert can be acknowledged" : ": already cleared")));
        default -> ctx.fail(ApiException.notFound("no alert " + ctx.pathParam("id")));
      }
    }).onFailure(ctx::fail);
  }

  /** The alert of the path, or 404 when absent or out of the caller's scopes. */
  private Future<Alert> visible(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    return store.get(id).compose(alert -> alert.isPresent() && visible(principal, alert.get())
        ? Future.succeededFuture(alert.get()) : Future.failedFuture(ApiException.notFound("no alert " + id)));
  }

  private static boolean visible(VigiePrincipal principal, Alert alert) {
    return Access.allows(principal, Access.Action.READ, alert.tenant(), alert.pathIds());
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Instant instant(String value, String field) {
    if (blank(value)) return null;
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an RFC 3339 time such as 2026-11-29T10:00:00Z, got '" + value + "'");
    }
  }
}
