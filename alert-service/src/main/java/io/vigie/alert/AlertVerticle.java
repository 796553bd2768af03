package io.vigie.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.AlertChange;
import io.vigie.alert.domain.AlertRule;
import io.vigie.alert.domain.AlertStateMachine;
import io.vigie.alert.store.AlertStore;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Measurement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every stored measurement ({@link Addresses#MEASUREMENT_STORED}, request-reply) against
 * the alert rules, once per device frame counter, and publishes each alert transition on
 * {@link Addresses#ALERT_CHANGED}. Replies only once the new state is saved.
 */
final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  /** Concurrent evaluations of one device (several instances, re-deliveries) retry this often. */
  private static final int MAX_ATTEMPTS = 5;

  private final AlertStore store;
  private final AlertStateMachine machine;
  private final MeterRegistry meters;

  AlertVerticle(AlertStore store, AlertStateMachine machine, MeterRegistry meters) {
    this.store = store;
    this.machine = machine;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.MEASUREMENT_STORED, this::onMeasurement).completion();
  }

  @Override
  public Future<?> stop() {
    return store.close();
  }

  private void onMeasurement(Message<JsonObject> message) {
    Measurement measurement;
    try {
      measurement = Measurement.fromJson(message.body());
      if (measurement.tenant() == null) throw new IllegalArgumentException("no tenant: the measurement is not enriched");
    } catch (RuntimeException e) {
      LOG.warn("rejecting a malformed stored measurement: {}", e.getMessage());
      message.fail(400, "malformed measurement: " + e.getMessage());
      return;
    }
    evaluate(measurement, MAX_ATTEMPTS)
        .onSuccess(message::reply)
        .onFailure(e -> {
          LOG.warn("evaluation of {} fCnt {} failed: {}", measurement.devEui(), measurement.fCnt(), e.getMessage());
          BusReplies.fail(message, e);
        });
  }

  private Future<JsonObject> evaluate(Measurement m, int attemptsLeft) {
    var ruleIds = machine.applicableRules(m).stream().map(AlertRule::id).toList();
    return store.load(m.devEui(), ruleIds).compose(state -> {
      if (m.fCnt() <= state.lastEvaluatedFCnt()) return Future.succeededFuture(alreadyEvaluated(m));
      var changes = machine.evaluate(m, state.currentByRule());
      return store.commit(m.devEui(), state.lastEvaluatedFCnt(), m.fCnt(), changes).compose(outcome -> switch (outcome) {
        case COMMITTED -> Future.succeededFuture(committed(changes));
        case ALREADY_EVALUATED -> Future.succeededFuture(alreadyEvaluated(m));
        case CONFLICT -> attemptsLeft > 1 ? evaluate(m, attemptsLeft - 1)
            : Future.failedFuture(ApiException.unavailable("device " + m.devEui() + " is evaluated concurrently; retry"));
      });
    }).recover(failure -> Future.failedFuture(
        failure instanceof ApiException ? failure : ApiException.unavailable("alert state unavailable: " + failure.getMessage())));
  }

  private JsonObject committed(List<AlertChange> changes) {
    meters.counter("vigie.alert.evaluations", "outcome", "evaluated").increment();
    for (var change : changes) {
      if (!change.isTransition()) continue;
      var alert = change.alert();
      meters.counter("vigie.alert.transitions", "status", alert.status().wire()).increment();
      LOG.info("alert {} of {} ({}) is now {} at {}", alert.id(), alert.devEui(), alert.ruleId(), alert.status().wire(),
          alert.lastValue());
      vertx.eventBus().publish(Addresses.ALERT_CHANGED, alert.toJson());
    }
    return new JsonObject().put("evaluated", true)
        .put("alerts", new JsonArray(changes.stream().map(c -> c.alert().id()).toList()));
  }

  private JsonObject alreadyEvaluated(Measurement m) {
    meters.counter("vigie.alert.evaluations", "outcome", "duplicate").increment();
    LOG.debug("{} fCnt {} already evaluated", m.devEui(), m.fCnt());
    return new JsonObject().put("evaluated", false).put("reason", "already evaluated");
  }
}
