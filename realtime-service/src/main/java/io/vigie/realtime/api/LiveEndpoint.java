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

  private final Vertx vertx;
  private final RealtimeConfig config;
  private final TokenVerifier verifier;
  private final SubscriptionGuard guard;
  private final LatestValues latest;
  private final LiveHub hub;
  private final MeterRegistry meters;
  private final Counter delivered;
  private final Counter dropped;
  private final Map<String, AtomicInteger> open;
  private final Map<String, Future<VigiePrincipal>> verified = new ConcurrentHashMap<>();

  public LiveEndpoint(Vertx vertx, RealtimeConfig config, TokenVerifier verifier, SubscriptionGuard guard,
                      LatestValues latest, LiveHub hub, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.verifier = verifier;
    this.guard = guard;
    this.latest = latest;
    this.hub = hub;
    this.meters = meters;
    this.delivered = meters.counter("vigie.realtime.pushes", "outcome", "delivered");
    this.dropped = meters.counter("vigie.realtime.pushes", "outcome", "dropped");
    this.open = Map.of("ws", new AtomicInteger(), "sockjs", new AtomicInteger());
    open.forEach((kind, count) -> meters.gauge("vigie.realtime.sockets", Tags.of("transport", kind), count));
  }

  /** {@code GET /ws} and {@code /eventbus/*}. */
  public Router router() {
    var router = Router.router(vertx);
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket()
        .onSuccess(ws -> open(LiveTransport.of(ws)))
        .onFailure(failure -> ctx.fail(ApiException.badRequest("/ws is a WebSocket: send an upgrade request"))));
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

  RealtimeConfig config() {
    return config;
  }

  /**
   * The principal of a token, verified once for every socket that presents it (a reconnecting fleet of pages shares
   * a few tokens; a signature check costs about a millisecond of event loop). Failures are not kept.
   */
  Future<VigiePrincipal> verify(String token) {
    var known = verified.get(token);
    if (known != null) return known;
    var verifying = verifier.verify(token);
    if (verified.size() >= MAX_VERIFIED) verified.clear();
    verified.put(token, verifying);
    return verifying.onFailure(failure -> verified.remove(token));
  }

  SubscriptionGuard guard() {
    return guard;
  }

  LatestValues latest() {
    return latest;
  }

  LiveHub hub() {
    return hub;
  }

  MeterRegistry meters() {
    return meters;
  }

  Counter delivered() {
    return delivered;
  }

  Counter dropped() {
    return dropped;
  }
}
