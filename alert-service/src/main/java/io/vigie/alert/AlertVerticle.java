package io.vigie.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.AlertChange;
import io.vigie.alert.domain.AlertStateMachine;
import io.vigie.alert.store.AlertStore;
import io.vigie.alert.store.AlertStore.Commit;
import io.vigie.alert.store.AlertStore.DeviceState;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.message.StoredBatch;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Measurement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates batches of stored measurements ({@link Addresses#MEASUREMENT_STORED}, request-reply,
 * {@code {"measurements":[…]}}) against the alert rules, once per device frame counter (a counter already evaluated
 * is skipped: a re-delivered batch raises nothing twice), publishes each alert transition on
 * {@link Addresses#ALERT_CHANGED}, and replies {@code {"evaluated":n,"alerts":[id…]}} (the measurements evaluated for
 * the first time, the alerts they raised, updated or cleared) once the new state is saved.
 *
 * <p>Redis: ONE pipelined round trip per batch (one commit script per device, {@code EVALSHA}) once the devices'
 * states are known; a device this instance has not seen yet (or whose commit met another instance's) costs one more
 * pipelined round trip for the batch to load the states. The state of a device is cached here: this service is its
 * only writer, and the commit checks the device's counter (optimistic concurrency), so a stale cache is reloaded.
 */
final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  /** Concurrent evaluations of one device (several instances) retry this often. */
  private static final int MAX_ATTEMPTS = 5;
  /** Device states kept (least recently evaluated first out). */
  static final int MAX_DEVICES = 100_000;

  private final AlertStore store;
  private final AlertStateMachine machine;
  private final MeterRegistry meters;
  private final Map<String, DeviceState> states = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DeviceState> eldest) {
      return size() > MAX_DEVICES;
    }
  };
  /** Batches evaluated one after the other, so two batches never race on one device's cached state. */
  private Future<?> previous = Future.succeededFuture();

  AlertVerticle(AlertStore store, AlertStateMachine machine, MeterRegistry meters) {
    this.store = store;
    this.machine = machine;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    return vertx.eventBus().<Object>consumer(Addresses.MEASUREMENT_STORED, this::onBatch).completion();
  }

  @Override
  public Future<?> stop() {
    return store.close();
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
    var alerts = new JsonArray();
    var evaluation = previous.transform(ignored -> evaluate(byDevice, alerts, MAX_ATTEMPTS));
    previous = evaluation;
    evaluation
        .onSuccess(evaluated -> message.reply(new JsonObject().put("evaluated", evaluated).put("alerts", alerts)))
        .onFailure(e -> {
          LOG.warn("evaluation of {} measurements failed: {}", measurements.size(), e.getMessage());
          BusReplies.fail(message, e);
        });
  }

  /** How many measurements were evaluated for the first time; the ids of the alerts they changed go to {@code alerts}. */
  private Future<Integer> evaluate(Map<String, List<Measurement>> byDevice, JsonArray alerts, int attemptsLeft) {
    return states(byDevice.keySet()).compose(known -> {
      var commits = new ArrayList<Commit>();
      var evaluated = new ArrayList<Integer>();
      for (var entry : byDevice.entrySet()) {
        var state = known.get(entry.getKey());
        var current = new HashMap<>(state.currentByRule());
        long last = state.lastEvaluatedFCnt();
        var changes = new ArrayList<AlertChange>();
        int count = 0;
        for (var m : entry.getValue()) {
          if (m.fCnt() <= last) {
            alreadyEvaluated(m);
            continue;
          }
          for (var change : machine.evaluate(m, current)) {
            changes.add(change);
            if (change.kind() == AlertChange.Kind.CLEARED) current.remove(change.alert().ruleId());
            else current.put(change.alert().ruleId(), change.alert());
          }
          last = m.fCnt();
          count++;
        }
        if (count > 0) {
          commits.add(new Commit(entry.getKey(), state.lastEvaluatedFCnt(), last, changes));
          evaluated.add(count);
          states.put(entry.getKey(), new DeviceState(last, Map.copyOf(current)));
        }
      }
      return store.commitAll(commits).compose(outcomes -> {
        int total = 0;
        var again = new LinkedHashMap<String, List<Measurement>>();
        for (int i = 0; i < outcomes.size(); i++) {
          var commit = commits.get(i);
          switch (outcomes.get(i)) {
            case COMMITTED -> {
              total += evaluated.get(i);
              committed(evaluated.get(i), commit.changes());
              commit.changes().forEach(change -> alerts.add(change.alert().id()));
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
    }).recover(failure -> {
      byDevice.keySet().forEach(states::remove);
      return Future.failedFuture(failure instanceof ApiException ? failure
          : ApiException.unavailable("alert state unavailable: " + failure.getMessage()));
    });
  }

  /** The state of every device: cached, else loaded in one round trip for all the devices missing. */
  private Future<Map<String, DeviceState>> states(Collection<String> devEuis) {
    var known = new HashMap<String, DeviceState>();
    var missing = new ArrayList<String>();
    for (var devEui : devEuis) {
      var state = states.get(devEui);
      if (state == null) missing.add(devEui); else known.put(devEui, state);
    }
    if (missing.isEmpty()) return Future.succeededFuture(known);
    return store.loadAll(missing, machine.ruleIds()).map(loaded -> {
      for (int i = 0; i < missing.size(); i++) known.put(missing.get(i), loaded.get(i));
      return known;
    });
  }

  private void committed(int evaluations, List<AlertChange> changes) {
    meters.counter("vigie.alert.evaluations", "outcome", "evaluated").increment(evaluations);
    for (var change : changes) {
      if (!change.isTransition()) continue;
      var alert = change.alert();
      meters.counter("vigie.alert.transitions", "status", alert.status().wire()).increment();
      LOG.info("alert {} of {} ({}) is now {} at {}", alert.id(), alert.devEui(), alert.ruleId(), alert.status().wire(),
          alert.lastValue());
      vertx.eventBus().publish(Addresses.ALERT_CHANGED, alert.toJson());
    }
  }

  private void alreadyEvaluated(Measurement m) {
    meters.counter("vigie.alert.evaluations", "outcome", "duplicate").increment();
    LOG.debug("{} fCnt {} already evaluated", m.devEui(), m.fCnt());
  }
}
