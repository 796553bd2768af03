package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.Rule;
import io.vigie.alert.domain.Rules;
import io.vigie.alert.store.RedisAlertStore.Commit;
import io.vigie.alert.store.RedisAlertStore.DeviceState;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.StoredBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates batches of stored measurements ({@link Addresses#MEASUREMENT_STORED}, request-reply) against each device's
 * effective rules, once per device frame counter, and replies {@code {"evaluated":n,"alerts":[id…]}} once the new state
 * is saved; each transition is published on {@link Addresses#ALERT_CHANGED} (the script already appended it to the
 * transitions stream).
 *
 * <p>Redis: ONE round trip per batch (one call of the commit script for up to 64 devices) once the tenants' rules and
 * the devices' states are cached here; the commit checks each device's counter and the open alerts it touches
 * (optimistic concurrency), so a state changed elsewhere (another instance, a person, a timer) is reloaded and
 * evaluated again.
 */
final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  private static final int MAX_ATTEMPTS = 5;
  static final int MAX_DEVICES = 100_000;

  private final Wiring w;
  private final Map<String, DeviceState> states = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DeviceState> eldest) {
      return size() > MAX_DEVICES;
    }
  };
  /**
   * Each tenant's rules list (the rule store's copy, the same instance until it reloads or a rule changes) with the
   * active rules already worked out per node path and device type: a batch's devices mostly share a few of them.
   */
  private final Map<String, ActiveRules> active = new HashMap<>();
  /** Batches evaluated one after the other, so two batches never race on one device's cached state. */
  private Future<?> previous = Future.succeededFuture();

  AlertVerticle(Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    return vertx.eventBus().<Object>consumer(Addresses.MEASUREMENT_STORED, this::onBatch).completion();
  }

  @Override
  public Future<?> stop() {
    return w.store().close();
  }

  private void onBatch(Message<Object> message) {
    List<Measurement> measurements;
    try {
      measurements = StoredBatch.of(message.body()).measurements();
      for (var m : measurements) {
        if (m.tenant() == null) throw new IllegalArgumentException("no tenant: measurement " + m.id() + " is not enriched");
      }
    } catch (RuntimeException e) {
      LOG.warn("rejecting a malformed batch of stored measurements: {}", e.getMessage());
      message.fail(400, "measurement.stored needs a batch {\"measurements\":[stored measurement…]}: " + e.getMessage());
      return;
    }
    var byDevice = new LinkedHashMap<String, List<Measurement>>();
    measurements.forEach(m -> byDevice.computeIfAbsent(m.devEui(), d -> new ArrayList<>()).add(m));
    var alerts = new LinkedHashSet<String>();
    var evaluation = previous.transform(ignored -> evaluate(byDevice, alerts, MAX_ATTEMPTS));
    previous = evaluation;
    evaluation
        .onSuccess(evaluated -> message.reply(new JsonObject().put("evaluated", evaluated)
            .put("alerts", new JsonArray(new ArrayList<>(alerts)))))
        .onFailure(e -> {
          LOG.warn("evaluation of {} measurements failed: {}", measurements.size(), e.getMessage());
          BusReplies.fail(message, e);
        });
  }

  /** How many measurements were evaluated for the first time; the ids of the alerts they changed go to {@code alerts}. */
  private Future<Integer> evaluate(Map<String, List<Measurement>> byDevice, LinkedHashSet<String> alerts, int attemptsLeft) {
    return rulesOf(byDevice).compose(applicable -> states(applicable).compose(known -> {
      var commits = new ArrayList<Commit>();
      var counts = new ArrayList<Integer>();
      for (var entry : byDevice.entrySet()) {
        var devEui = entry.getKey();
        var result = DeviceEvaluation.evaluate(devEui, entry.getValue(), known.get(devEui), applicable.get(devEui), w.ids());
        if (result.duplicates() > 0) w.meters().counter("vigie.alert.evaluations", "outcome", "duplicate").increment(result.duplicates());
        if (result.commit() == null) continue;
        commits.add(result.commit());
        counts.add(result.evaluated());
      }
      return w.store().commitAll(commits).compose(outcomes -> {
        int total = 0;
        var again = new LinkedHashMap<String, List<Measurement>>();
        for (int i = 0; i < outcomes.size(); i++) {
          var commit = commits.get(i);
          var outcome = outcomes.get(i);
          switch (outcome.outcome()) {
            case COMMITTED -> {
              total += counts.get(i);
              w.meters().counter("vigie.alert.evaluations", "outcome", "evaluated").increment(counts.get(i));
              states.put(commit.devEui(), DeviceEvaluation.after(commit, known.get(commit.devEui()).open(), outcome.alerts()));
              outcome.alerts().forEach(alert -> {
                alerts.add(alert.getString("id"));
                if (alert.containsKey("transition")) w.events().publish(alert);
              });
            }
            case ALREADY_EVALUATED -> states.remove(commit.devEui());
            case CONFLICT -> {
              states.remove(commit.devEui());
              again.put(commit.devEui(), byDevice.get(commit.devEui()));
            }
          }
        }
        if (again.isEmpty()) return Future.succeededFuture(total);
        if (attemptsLeft <= 1) {
          return Future.failedFuture(ApiException.unavailable("devices " + again.keySet() + " are evaluated concurrently; retry"));
        }
        int done = total;
        return evaluate(again, alerts, attemptsLeft - 1).map(more -> done + more);
      });
    })).recover(failure -> {
      byDevice.keySet().forEach(states::remove);
      return Future.failedFuture(failure instanceof ApiException ? failure
          : ApiException.unavailable("alert state unavailable: " + failure.getMessage()));
    });
  }

  /** The enabled effective rules of each device (its tenant's rules, its node path, its device type). */
  private Future<Map<String, List<Rule>>> rulesOf(Map<String, List<Measurement>> byDevice) {
    var tenants = new LinkedHashMap<String, Future<List<Rule>>>();
    byDevice.values().forEach(list -> tenants.computeIfAbsent(list.get(0).tenant(), w.rules()::all));
    return Future.all(new ArrayList<>(tenants.values())).map(all -> {
      var applicable = new HashMap<String, List<Rule>>();
      byDevice.forEach((devEui, list) -> {
        var last = list.get(list.size() - 1);
        var type = last.device() == null ? null : last.device().getString("type");
        var tenantRules = tenants.get(last.tenant()).result();
        var known = active.get(last.tenant());
        if (known == null || known.tenantRules() != tenantRules || known.byPlace().size() >= ActiveRules.MAX_PLACES) {
          known = new ActiveRules(tenantRules, new HashMap<>());
          active.put(last.tenant(), known);
        }
        var place = new StringBuilder(type == null ? "-" : "+" + type);
        for (var element : last.path()) place.append('\u0000').append(element.id());
        applicable.put(devEui, known.byPlace().computeIfAbsent(place.toString(),
            ignored -> Rules.active(tenantRules, last.path().stream().map(PathElement::id).toList(), type)));
      });
      return applicable;
    });
  }

  /** A tenant's rules list and its active rules by device type and node path (the type, then each node id of the path, NUL-separated). */
  private record ActiveRules(List<Rule> tenantRules, Map<String, List<Rule>> byPlace) {
    static final int MAX_PLACES = 10_000;
  }

  /** The state of every device: cached, else loaded for all the devices missing at once. */
  private Future<Map<String, DeviceState>> states(Map<String, List<Rule>> applicable) {
    var known = new HashMap<String, DeviceState>();
    var missing = new ArrayList<String>();
    applicable.keySet().forEach(devEui -> {
      var state = states.get(devEui);
      if (state == null) missing.add(devEui); else known.put(devEui, state);
    });
    if (missing.isEmpty()) return Future.succeededFuture(known);
    var ruleIds = missing.stream().map(devEui -> applicable.get(devEui).stream().map(Rule::id).toList()).toList();
    return w.store().loadAll(missing, ruleIds).map(loaded -> {
      for (int i = 0; i < missing.size(); i++) known.put(missing.get(i), loaded.get(i));
      return known;
    });
  }
}
