package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.http.ApiException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import io.vigie.registry.store.AuditTrail;
import io.vigie.registry.store.NodeStore;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit?nodeId&from&to&kind&actor&limit&cursor}: who changed what and when, newest first. Admins
 * only (403 otherwise); a node outside the caller's scopes answers 404 like a missing one; entries outside the
 * caller's scopes are never returned. 503 when no Elasticsearch is configured.
 */
public final class AuditRoutes {
  private static final Pattern CURSOR = Pattern.compile("\\d{1,19}-\\d{1,19}");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private final AuditTrail trail;
  private final NodeAccess access;

  /** @param trail null when no Elasticsearch is configured */
  public AuditRoutes(AuditTrail trail, NodeStore nodes) {
    this.trail = trail;
    this.access = new NodeAccess(nodes);
  }

  public void mount(Router router, AuthHandler auth) {
    router.get("/api/v1/audit").handler(auth).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    if (principal.role() != Role.ADMIN) throw ApiException.forbidden("the audit trail is for admins");
    if (trail == null) throw ApiException.unavailable("the audit trail needs Elasticsearch (elasticsearch.url, VIGIE_ES_URL)");
    var params = ctx.queryParams();
    var nodeId = params.get("nodeId");
    var query = new AuditTrail.Query(principal.tenant(), principal.scopes(), nodeId, instant(params.get("from"), "from"),
        instant(params.get("to"), "to"), word(params.get("kind"), "kind"), word(params.get("actor"), "actor"),
        limit(params.get("limit")), cursor(params.get("cursor")));
    (nodeId == null ? Future.succeededFuture() : access.visible(principal, nodeId))
        .compose(visible -> trail.search(query))
        .onSuccess(page -> {
          var body = new JsonObject().put("entries", new JsonArray(page.entries()));
          if (page.next() != null) body.put("next", page.next());
          ctx.response().putHeader("Cache-Control", "no-store");
          Requests.ok(ctx, body);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private static String instant(String value, String name) {
    if (value == null || value.isEmpty()) return null;
    try {
      return OffsetDateTime.parse(value).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be an RFC 3339 date-time, e.g. 2026-01-31T08:00:00Z");
    }
  }

  private static String word(String value, String name) {
    if (value == null || value.isEmpty()) return null;
    if (!WORD.matcher(value).matches()) throw ApiException.badRequest(name + " is not a valid " + name);
    return value;
  }

  private static int limit(String value) {
    if (value == null || value.isEmpty()) return DEFAULT_LIMIT;
    try {
      var limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) return limit;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit must be 1.." + MAX_LIMIT);
  }

  private static String cursor(String value) {
    if (value == null || value.isEmpty()) return null;
    if (!CURSOR.matcher(value).matches()) throw ApiException.badRequest("cursor is not one this route gave");
    return value;
  }
}
