package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.AlertStatus;
import io.vigie.alert.domain.RuleKind;
import io.vigie.common.Addresses;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events ({@link Addresses#UPLINK_SECURITY}: MIC failure, replayed counter, counter reset) become alerts of
 * kind {@code security} on the device, rule {@code security:<event kind>}: one open per device and reason (the open
 * script refuses a second), cleared by a person.
 */
final class SecurityAlerts extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityAlerts.class);
  private static final Map<String, String> SEVERITY = Map.of("mic-failure", "major", "replay", "major", "fcnt-reset", "warning");

  private final Wiring w;

  SecurityAlerts(Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.UPLINK_SECURITY, message -> raise(message.body())
        .onFailure(e -> LOG.warn("security event {} of {} not turned into an alert: {}", message.body().getString("kind"),
            message.body().getString("devEui"), e.getMessage()))).completion();
  }

  Future<JsonObject> raise(JsonObject event) {
    var kind = event.getString("kind", "unknown");
    var devEui = event.getString("devEui");
    var at = Instant.parse(event.getString("receivedAt"));
    return w.registry().device(devEui).compose(device -> {
      if (event.getString("tenant") != null && !event.getString("tenant").equals(device.tenant())) {
        return Future.failedFuture("the event's tenant is not the device's");
      }
      var path = device.path();
      var alert = new Alert(w.ids().get(), device.tenant(), devEui, device.nodeId(), "security:" + kind,
          "security " + kind + (event.getString("detail") == null ? "" : ": " + event.getString("detail")),
          RuleKind.SECURITY, null, SEVERITY.getOrDefault(kind, "major"), AlertStatus.ACTIVE, at, at,
          (double) event.getLong("fCnt", 0L), null, null, null, null, null, path);
      return w.transitions().open(alert, null, 0, null);
    }).map(opened -> {
      if (opened != null) w.events().publish(opened);
      return opened;
    });
  }
}
