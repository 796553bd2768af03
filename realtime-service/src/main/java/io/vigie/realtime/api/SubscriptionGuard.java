package io.vigie.realtime.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;
import io.vigie.realtime.store.TargetScopes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every registration: allowed only when the address is a well-formed live address and its target's node
 * path is within the caller's scopes ({@link Access.Action#SUBSCRIBE}), the target looked up in the caller's tenant.
 * Unknown targets, malformed addresses and out-of-scope ones are refused alike. Decisions are kept per (tenant,
 * scopes, address) for {@code cacheMillis}, and forgotten when the registry changes.
 */
public final class SubscriptionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionGuard.class);
  private static final int MAX_CACHED = 10_000;

  private final TargetScopes scopes;
  private final MeterRegistry meters;
  private final long cacheMillis;
  private final Map<String, Decision> decisions = new ConcurrentHashMap<>();

  /**
   * An answer; {@code cacheable} is false for transient failures (registry unreachable).
   *
   * @param target the parsed address when allowed
   */
  public record Decision(boolean allowed, String reason, LiveAddress target, boolean cacheable, long at) {}

  public SubscriptionGuard(TargetScopes scopes, MeterRegistry meters, long cacheMillis) {
    this.scopes = scopes;
    this.meters = meters;
    this.cacheMillis = cacheMillis;
  }

  /** Forgets every cached decision (the hierarchy or the grants changed). */
  public void invalidate() {
    decisions.clear();
  }

  /** Whether {@code principal} (null: nobody authenticated) may subscribe to {@code address}; never fails. */
  public Future<Decision> decide(VigiePrincipal principal, String address) {
    var key = principal == null ? null : principal.tenant() + '\n' + principal.scopes() + '\n' + address;
    var cached = key == null ? null : decisions.get(key);
    var now = System.currentTimeMillis();
    var decision = cached != null && now - cached.at() < cacheMillis
        ? Future.succeededFuture(cached)
        : decideNow(principal, address).onSuccess(d -> {
            if (key == null || !d.cacheable() || cacheMillis <= 0) return;
            if (decisions.size() >= MAX_CACHED) decisions.clear();
            decisions.put(key, d);
          });
    return decision.onSuccess(d -> {
      meters.counter("vigie.realtime.subscriptions", "outcome", d.allowed() ? "allowed" : "refused").increment();
      var subject = principal == null ? "unknown caller" : principal.subject();
      if (d.allowed()) {
        LOG.debug("subscription to {} allowed for {}", address, subject);
      } else {
        LOG.info("subscription to {} refused ({}) for {}", address, d.reason(), subject);
      }
    });
  }

  private Future<Decision> decideNow(VigiePrincipal principal, String address) {
    var now = System.currentTimeMillis();
    var target = LiveAddress.parse(address);
    if (target.isEmpty()) return Future.succeededFuture(new Decision(false, "not a live address", null, true, now));
    if (principal == null) return Future.succeededFuture(new Decision(false, "no valid token", null, false, now));
    return scopes.scopeOf(target.get(), principal.tenant()).transform(scope -> {
      if (scope.succeeded()) {
        var allowed = Access.allows(principal, Access.Action.SUBSCRIBE, scope.result().tenant(), scope.result().pathIds());
        return Future.succeededFuture(new Decision(allowed, allowed ? "in scope" : "out of scope", target.get(), true, now));
      }
      if (scope.cause() instanceof TargetScopes.UnknownTarget) {
        return Future.succeededFuture(new Decision(false, "unknown target", null, true, now));
      }
      LOG.warn("cannot check the subscription to {}: registry unavailable ({})", address, scope.cause().getMessage());
      return Future.succeededFuture(new Decision(false, "registry unavailable", null, false, now));
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
