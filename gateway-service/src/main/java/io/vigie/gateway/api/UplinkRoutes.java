package io.vigie.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.MessageIds;
import io.vigie.common.message.UplinkFate;
import io.vigie.gateway.store.IngestLog;
import io.vigie.registry.client.RegistryClient;
import java.util.ArrayList;

/**
 * {@code GET /api/v1/devices/{devEui}/uplinks?limit=50}: what became of a device's last uplinks, newest first —
 * those still in the ingest log as {@code pending}, then the recorded fates. Scope-checked like the device (the
 * registry-client's view of its path, common's {@link Access}): out of scope answers exactly like unknown, 404.
 */
public record UplinkRoutes(IngestLog log, RegistryClient registry, TokenVerifier verifier) {
  public static final String PATH = "/api/v1/devices/:devEui/uplinks";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;

  public void mount(Router router) {
    router.get(PATH).handler(new AuthHandler(verifier)).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String devEui;
    int limit;
    try {
      devEui = MessageIds.normalizeDevEui(ctx.pathParam("devEui"));
      limit = limit(ctx.request().getParam("limit"));
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    var principal = AuthHandler.principal(ctx);
    var hidden = ApiException.notFound("no device " + devEui);
    registry.device(devEui)
        .recover(e -> Future.failedFuture(e instanceof ApiException api && api.status() == 404 ? hidden : e))
        .compose(device -> Access.allows(principal, Access.Action.READ, device.tenant(), device.pathIds())
            ? log.pending(devEui, limit) : Future.failedFuture(hidden))
        .compose(pending -> pending.size() >= limit ? Future.succeededFuture(pending)
            : log.fates(devEui, limit - pending.size()).map(fates -> {
              var all = new ArrayList<>(pending);
              all.addAll(fates);
              return all;
            }))
        .onSuccess(fates -> {
          var rows = new JsonArray();
          fates.forEach(fate -> rows.add(row(fate)));
          ctx.json(new JsonObject().put("uplinks", rows));
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject row(UplinkFate fate) {
    var json = fate.toJson();
    json.remove("devEui");
    return json;
  }

  static int limit(String raw) {
    if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
    try {
      var value = Integer.parseInt(raw.trim());
      if (value >= 1 && value <= MAX_LIMIT) return value;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + raw + "'");
  }
}
