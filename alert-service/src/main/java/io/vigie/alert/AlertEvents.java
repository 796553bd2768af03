package io.vigie.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the bus of a transition ({@link Addresses#ALERT_CHANGED}: the alert JSON with {@code transition}, {@code at}, {@code by}). */
final class AlertEvents {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEvents.class);

  private final Vertx vertx;
  private final MeterRegistry meters;

  AlertEvents(Vertx vertx, MeterRegistry meters) {
    this.vertx = vertx;
    this.meters = meters;
  }

  /** @param event an alert with its transition, as the transitions stream has it */
  void publish(JsonObject event) {
    var transition = event.getString("transition");
    meters.counter("vigie.alert.transitions", "transition", transition).increment();
    LOG.info("alert {} of {} ({}) {} by {} at {}: {} {}", event.getString("id"), event.getString("devEui"),
        event.getString("ruleId"), transition, event.getString("by"), event.getString("at"), event.getString("severity"),
        event.getString("status"));
    vertx.eventBus().publish(Addresses.ALERT_CHANGED, event);
  }
}
