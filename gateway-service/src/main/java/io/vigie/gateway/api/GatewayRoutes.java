package io.vigie.gateway.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.http.ApiException;
import io.vigie.gateway.udp.GatewayStatusStore;
import java.util.List;

/**
 * {@code GET /api/v1/gateways}: the Semtech packet forwarders this instance hears, with their last status. The
 * radio gateways are platform infrastructure, not objects of a tenant: only the platform's operators see them,
 * that is an {@code admin} or {@code operator} of the platform tenant ({@value #PLATFORM_TENANT}) whose scopes
 * include its root.
 */
public final class GatewayRoutes {
  public static final String PATH = "/api/v1/gateways";
  static final String PLATFORM_TENANT = "default";

  private final GatewayStatusStore gateways;
  private final TokenVerifier verifier;

  public GatewayRoutes(GatewayStatusStore gateways, TokenVerifier verifier) {
    this.gateways = gateways;
    this.verifier = verifier;
  }

  public void mount(Router router) {
    router.get(PATH).handler(new AuthHandler(verifier)).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    if (!Access.allows(principal, Access.Action.MANAGE_DEVICES, PLATFORM_TENANT, List.of(PLATFORM_TENANT))) {
      ctx.fail(ApiException.forbidden("the gateways are shown to the platform's admins and operators only"));
      return;
    }
    ctx.json(gateways.toJson());
  }
}
