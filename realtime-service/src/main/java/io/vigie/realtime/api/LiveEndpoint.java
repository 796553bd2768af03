package io.vigie.realtime.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.realtime.config.RealtimeConfig;
import io.vigie.realtime.store.LatestValues;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live endpoints, one protocol over two transports: the plain WebSocket {@code GET /ws} and SockJS at
 * {@code /eventbus/*} (whose raw WebSocket transport is {@code /eventbus/websocket}). Each connection is a
 * {@link LiveSession}; the {@link LiveHub} feeds them.
 */
public final class LiveEndpoint {
  private static final int MAX_VERIFIED = 1000;

  /** What every session uses. */
  public record Services(RealtimeConfig config, TokenVerifier verifier, SubscriptionGuard guard, LatestValues latest,
                         LiveHub hub, MeterRegistry meters) {}

  private final Vertx vertx;
  private final Services services;
  private final Counter delivered;
  private final Counter dropped;
  private final Map<String, AtomicInteger> open = Map.of("ws", new AtomicInteger(), "sockjs", new AtomicInteger());
  private final Map<String, Future<VigiePrincipal>> verified = new ConcurrentHashMap<>();

  public LiveEndpoint(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
    var meters = services.meters();
    delivered = meters.counter("vigie.realtime.pushes", "outcome", "delivered");
    dropped = meters.counter("vigie.realtime.pushes", "outcome", "dropped");
    open.forEach((kind, count) -> meters.gauge("vigie.realtime.sockets", Tags.of("transport", kind), count));
  }

  /** {@code GET /ws} and {@code /eventbus/*}. */
  public Router router() {
    var router = Router.router(vertx);
    router.get("/ws").handler(ctx -> {
      var channel = LiveTransport.channel(ctx.request().connection());   // the same channel once upgraded
      ctx.request().toWebSocket()
          .onSuccess(ws -> open(LiveTransport.of(ws, channel)))
          .onFailure(failure -> ctx.fail(ApiException.badRequest("/ws is a WebSocket: send an upgrade request")));
    });
    var sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false));
    router.route("/eventbus/*").subRouter(sockJs.socketHandler(socket -> open(LiveTransport.of(socket))));
    return router;
  }

  private void open(LiveTransport transport) {
    open.get(transport.kind()).incrementAndGet();
    new LiveSession(this, transport, vertx.getOrCreateContext()).start();
  }

  void closed(String kind) {
    open.get(kind).decrementAndGet();
  }

  Services services() {
    return services;
  }

  /**
   * The principal of a token, verified once for every socket that presents it (a reconnecting fleet of pages shares
   * a few tokens; a signature check costs about a millisecond of event loop). Failures are not kept.
   */
  Future<VigiePrincipal> verify(String token) {
    var known = verified.get(token);
    if (known != null) return known;
    var verifying = services.verifier().verify(token);
    if (verified.size() >= MAX_VERIFIED) verified.clear();
    verified.put(token, verifying);
    return verifying.onFailure(failure -> verified.remove(token));
  }

  /** Counts a push written to a socket ({@code true}) or dropped for a slow one. */
  void count(boolean written) {
    (written ? delivered : dropped).increment();
  }
}
