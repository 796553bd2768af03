package io.vigie.decoder.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.http.ApiException;
import io.vigie.decoder.domain.FrameDebugger;
import io.vigie.lorawan.FrameException;

/**
 * {@code POST /api/v1/tools/lorawan/decode}, the frame debugger ({@link FrameDebugger}), for roles {@code admin}
 * and {@code operator}. The body holds session keys: it is never logged, and the body limit is small (a frame is at
 * most 255 bytes).
 */
public final class LorawanToolRoutes {
  public static final String PATH = "/api/v1/tools/lorawan/decode";
  static final long BODY_LIMIT = 4096;

  private LorawanToolRoutes() {}

  public static Router router(Vertx vertx, TokenVerifier verifier) {
    var router = Router.router(vertx);
    router.post(PATH)
        .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
        .handler(new AuthHandler(verifier))
        .handler(LorawanToolRoutes::operatorsOnly)
        .handler(LorawanToolRoutes::decode);
    return router;
  }

  static void operatorsOnly(RoutingContext ctx) {
    var role = AuthHandler.principal(ctx).role();
    if (role == Role.ADMIN || role == Role.OPERATOR) {
      ctx.next();
    } else {
      ctx.fail(ApiException.forbidden("the tools are for admins and operators"));
    }
  }

  private static void decode(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(ApiException.badRequest("the body must be a JSON object {\"phyPayload\",\"nwkSKey\",\"appSKey\",\"fCnt\"?}"));
      return;
    }
    if (request == null) {
      ctx.fail(ApiException.badRequest("the body must be a JSON object {\"phyPayload\",\"nwkSKey\",\"appSKey\",\"fCnt\"?}"));
      return;
    }
    try {
      ctx.json(FrameDebugger.inspect(request));
    } catch (FrameException e) {
      ctx.fail(ApiException.badRequest("phyPayload cannot be parsed: " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
    }
  }
}
