package io.vigie.alert.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.domain.Rule;
import io.vigie.alert.domain.Rules;
import io.vigie.common.Addresses;
import io.vigie.common.redis.RedisScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules, owned by the alert service: a hash per tenant in Redis ({@code vigie:{alerts}:rules:<tenant>}, id →
 * rule JSON), seeded once with {@link Rules#defaults} when the tenant's rules are first needed (marker
 * {@code rules-seeded:<tenant>}, {@code SET NX}). Cached here per tenant; a change is published on
 * {@link Addresses#ALERT_RULES_CHANGED} so every instance drops its copy, and a copy older than {@link #TTL_MS} is
 * read again (a lost message repaired).
 */
public final class RuleStore {
  private static final Logger LOG = LoggerFactory.getLogger(RuleStore.class);
  static final long TTL_MS = 60_000;

  private record Cached(long loadedAt, Future<List<Rule>> rules) {}

  private final Vertx vertx;
  private final Redis redis;
  private final RedisScript load;
  private final double defaultTemperature;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** Names this instance in its change messages: it dropped its own copy already, and may have read the new one since. */
  private final String origin = java.util.UUID.randomUUID().toString();

  public RuleStore(Vertx vertx, Redis redis, double defaultTemperature) {
    this.vertx = vertx;
    this.redis = redis;
    this.load = new RedisScript(redis, "alert-rules", AlertScripts.RULES);
    this.defaultTemperature = defaultTemperature;
  }

  /** Starts dropping the copies other instances say changed. */
  public Future<Void> listen() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED,
        message -> {
          if (!origin.equals(message.body().getString("origin"))) cache.remove(message.body().getString("tenant"));
        }).completion();
  }

  /** Every rule of the tenant (the defaults the first time). */
  public Future<List<Rule>> all(String tenant) {
    var now = System.nanoTime();
    var cached = cache.get(tenant);
    if (cached != null && !cached.rules().failed() && now - cached.loadedAt() < TimeUnit.MILLISECONDS.toNanos(TTL_MS)) {
      return cached.rules();
    }
    var loading = read(tenant);
    cache.put(tenant, new Cached(now, loading));
    return loading;
  }

  private Future<List<Rule>> read(String tenant) {
    var defaults = new ArrayList<String>();
    Rules.defaults(tenant, defaultTemperature).forEach(rule -> {
      defaults.add(rule.id());
      defaults.add(rule.toStored().encode());
    });
    return load.call(List.of(key("rules-seeded:", tenant), key("rules:", tenant)), defaults).map(answer -> {
      var rules = new ArrayList<Rule>();
      for (int i = 0; i + 1 < answer.size(); i += 2) {
        try {
          rules.add(Rule.fromStored(new JsonObject(answer.get(i + 1).toString())));
        } catch (RuntimeException e) {
          LOG.warn("tenant {}: stored rule {} unreadable, ignored: {}", tenant, answer.get(i), e.getMessage());
        }
      }
      return List.copyOf(rules);
    });
  }

  /** Saves (creates or replaces) a rule; every instance drops its copy of the tenant's rules. */
  public Future<Void> put(Rule rule) {
    return all(rule.tenant()) // seeds first: a new tenant's first rule does not hide the defaults
        .compose(known -> redis.send(Request.cmd(Command.HSET).arg(key("rules:", rule.tenant())).arg(rule.id())
            .arg(rule.toStored().encode())))
        .onSuccess(ok -> changed(rule.tenant())).mapEmpty();
  }

  /** Deletes a rule; false when there was none. */
  public Future<Boolean> delete(String tenant, String id) {
    return all(tenant)
        .compose(known -> redis.send(Request.cmd(Command.HDEL).arg(key("rules:", tenant)).arg(id)))
        .map(deleted -> deleted.toInteger() > 0)
        .onSuccess(deleted -> changed(tenant));
  }

  private void changed(String tenant) {
    cache.remove(tenant);
    vertx.eventBus().publish(Addresses.ALERT_RULES_CHANGED, new JsonObject().put("tenant", tenant).put("origin", origin));
  }

  private static String key(String kind, String tenant) {
    return RedisAlertStore.PREFIX + kind + tenant;
  }
}
