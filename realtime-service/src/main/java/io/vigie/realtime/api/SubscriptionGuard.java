package io.vigie.realtime.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;
import io.vigie.realtime.store.TargetScopes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge hook: every registration carries the client's JWT in its headers
 * ({@code Authorization: Bearer <jwt>} or {@code token}) and is allowed only when the target's
 * node path is within the caller's scopes ({@link Access.Action#SUBSCRIBE}). A refused
 * registration gets the bridge's {@code err} frame and no consumer. Clients never send.
 */
public final class SubscriptionGuard implements Handler<BridgeEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionGuard.class);
  private static final int MAX_CACHED_PER_SOCKET = 256;

  private final TokenVerifier verifier;
  private final TargetScopes scopes;
  private final MeterRegistry meters;
  private final long cacheMillis;
  private final Map<SockJSSocket, Map<String, Decision>> decisions = new ConcurrentHashMap<>();

  /** An answer; {@code cacheable} is false for transient failures (registry unreachable). */
  private record Decision(boolean allowed, String reason, String subject, boolean cacheable, long at) {}

  public SubscriptionGuard(TokenVerifier verifier, TargetScopes scopes, MeterRegistry meters, long cacheMillis) {
    this.verifier = verifier;
    this.scopes = scopes;
    this.meters = meters;
    this.cacheMillis = cacheMillis;
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case REGISTER -> register(event);
      case SEND, PUBLISH -> event.complete(false);
      case SOCKET_CLOSED, SOCKET_ERROR -> {
        decisions.remove(event.socket());
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  /** Forgets every cached decision (the hierarchy or the grants changed). */
  public void invalidate() {
    decisions.values().forEach(Map::clear);
  }

  private void register(BridgeEvent event) {
    var raw = event.getRawMessage();
    var address = raw.getString("address");
    var token = token(raw.getJsonObject("headers"));
    var cache = decisions.computeIfAbsent(event.socket(), socket -> new ConcurrentHashMap<>());
    var key = address + '\n' + token;
    var cached = cache.get(key);
    var now = System.currentTimeMillis();
    var decision = cached != null && now - cached.at() < cacheMillis
        ? Future.succeededFuture(cached)
        : decide(address, token).onSuccess(d -> {
            if (!d.cacheable() || cacheMillis <= 0) return;
            if (cache.size() >= MAX_CACHED_PER_SOCKET) cache.clear();
            cache.put(key, d);
          });
    decision.onSuccess(d -> {
      // completing first: the bridge registers the consumer, then the counter tells it happened
      event.tryComplete(d.allowed());
      meters.counter("vigie.realtime.subscriptions", "outcome", d.allowed() ? "allowed" : "refused").increment();
      if (d.allowed()) {
        LOG.debug("subscription to {} allowed for {}", address, d.subject());
      } else {
        LOG.info("subscription to {} refused ({}) for {}", address, d.reason(), d.subject() == null ? "unknown caller" : d.subject());
      }
    });
  }

  private Future<Decision> decide(String address, String token) {
    var now = System.currentTimeMillis();
    var target = LiveAddress.parse(address);
    if (target.isEmpty()) return Future.succeededFuture(new Decision(false, "not a live address", null, true, now));
    if (token == null) return Future.succeededFuture(new Decision(false, "no token", null, true, now));
    return verifier.verify(token).transform(verified -> {
      if (verified.failed()) return Future.succeededFuture(new Decision(false, "invalid token", null, true, now));
      VigiePrincipal principal = verified.result();
      return scopes.scopeOf(target.get(), principal.tenant()).transform(scope -> {
        if (scope.succeeded()) {
          var allowed = Access.allows(principal, Access.Action.SUBSCRIBE, scope.result().tenant(), scope.result().pathIds());
          return Future.succeededFuture(new Decision(allowed, allowed ? "in scope" : "out of scope", principal.subject(), true, now));
        }
        if (scope.cause() instanceof TargetScopes.UnknownTarget) {
          return Future.succeededFuture(new Decision(false, "unknown target", principal.subject(), true, now));
        }
        LOG.warn("cannot check the subscription to {}: registry unavailable ({})", address, scope.cause().getMessage());
        return Future.succeededFuture(new Decision(false, "registry unavailable", principal.subject(), false, now));
      });
    });
  }

  /** The JWT of a register frame's headers: {@code Authorization: Bearer <jwt>} or {@code token: <jwt>}. */
  static String token(JsonObject headers) {
    if (headers == null) return null;
    for (var name : headers.fieldNames()) {
      var value = headers.getValue(name);
      if (!(value instanceof String text) || text.isBlank()) continue;
      if (name.equalsIgnoreCase("Authorization") && text.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return text.substring(7).trim();
      }
      if (name.equalsIgnoreCase("token")) return text.trim();
    }
    return null;
  }
}
