package io.vigie.realtime.api;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

/** The SockJS event-bus bridge at {@code /eventbus/*}: clients listen to live addresses, never send. */
public final class EventBusBridge {
  private EventBusBridge() {}

  public static Router router(Vertx vertx, SubscriptionGuard guard, int maxSubscriptionsPerSocket) {
    var options = new SockJSBridgeOptions()
        .setMaxHandlersPerSocket(maxSubscriptionsPerSocket)
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("telemetry\\.device\\..+"))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("telemetry\\.node\\..+"))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("alerts\\.node\\..+"));
    var router = Router.router(vertx);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, guard));
    return router;
  }
}
