package io.vigie.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.Alert;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;

/**
 * Answers {@link Addresses#ALERT_OPEN}: a subtree's open alerts from the Redis state, the snapshot a live
 * {@code alerts.node.<id>} subscription starts with. The caller (realtime) has authorised the subtree already.
 */
final class OpenAlertsVerticle extends VerticleBase {
  /** Most alerts one answer holds. */
  static final int MAX_ALERTS = 500;
  /** Most recently started alerts of the tenant looked at (cleared ones included). */
  static final int SCANNED = 5000;

  private final Wiring w;

  OpenAlertsVerticle(Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_OPEN, this::answer).completion();
  }

  private void answer(Message<JsonObject> message) {
    var body = message.body();
    var tenant = body == null ? null : body.getValue("tenant");
    var nodeId = body == null ? null : body.getValue("nodeId");
    var limit = body == null ? null : body.getValue("limit");
    if (!(tenant instanceof String t) || t.isBlank() || !(nodeId instanceof String n) || n.isBlank()
        || (limit != null && !(limit instanceof Integer))) {
      BusReplies.fail(message, ApiException.badRequest("alert.open needs {\"tenant\",\"nodeId\",\"limit\"?}"));
      return;
    }
    var max = limit == null ? MAX_ALERTS : Math.max(1, Math.min(MAX_ALERTS, (Integer) limit));
    w.store().open(t, n, max, SCANNED)
        .onSuccess(open -> message.reply(new JsonObject().put("complete", open.complete())
            .put("alerts", new JsonArray(open.alerts().stream().map(Alert::toJson).toList()))))
        .onFailure(failure -> BusReplies.fail(message, ApiException.unavailable("alert state unavailable: " + failure.getMessage())));
  }
}
