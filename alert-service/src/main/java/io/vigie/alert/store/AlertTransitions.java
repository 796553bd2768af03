package io.vigie.alert.store;

import static io.vigie.alert.store.RedisAlertStore.DEADLINES;
import static io.vigie.alert.store.RedisAlertStore.STREAM_LENGTH;
import static io.vigie.alert.store.RedisAlertStore.TRANSITIONS;
import static io.vigie.alert.store.RedisAlertStore.alertKey;
import static io.vigie.alert.store.RedisAlertStore.currentKey;
import static io.vigie.alert.store.RedisAlertStore.tenantKey;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.domain.Alert;
import io.vigie.alert.domain.Deadline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The transitions that do not come from an evaluation: a person's, a timer's, a security event's. */
public final class AlertTransitions {
  private final RedisAlertStore store;

  public AlertTransitions(RedisAlertStore store) {
    this.store = store;
  }

  /** What a person's action did: 200 with the event, 409 with the alert as it is, 404. */
  public record Acted(int status, JsonObject alert) {}

  /** A due timer, claimed until the lease's end. */
  public record Claimed(String member, long due) {}

  /** {@code ack} or {@code clear} of an alert by {@code by}. */
  public Future<Acted> act(Alert alert, String action, String by, Instant at, String comment) {
    var keys = List.of(alertKey(alert.id()), currentKey(alert.devEui(), alert.ruleId()), TRANSITIONS, DEADLINES);
    var args = List.of(action, by, at.toString(), comment == null ? "" : comment, STREAM_LENGTH,
        Deadline.escalate(alert.tenant(), alert.id()));
    return store.act.call(keys, args).map(answer -> new Acted(answer.get(0).toInteger(),
        answer.size() > 1 ? new JsonObject(answer.get(1).toString()) : null));
  }

  /**
   * Opens {@code alert} unless its device+rule has one open; the event, or null.
   *
   * @param guard a claimed deadline that must still be due ({@code guardScore}), or null
   * @param next the alert's first escalation timer, or null
   */
  public Future<JsonObject> open(Alert alert, String guard, long guardScore, RedisAlertStore.Timer next) {
    var keys = List.of(currentKey(alert.devEui(), alert.ruleId()), alertKey(alert.id()), tenantKey(alert.tenant()),
        TRANSITIONS, DEADLINES);
    var args = List.of(alert.toJson().encode(), alert.id(), Long.toString(alert.startedAt().toEpochMilli()),
        STREAM_LENGTH, alert.startedAt().toString(), guard == null ? "" : guard, Long.toString(guardScore),
        next == null ? "" : next.member(), next == null ? "0" : Long.toString(next.score()));
    return store.open.call(keys, args).map(AlertTransitions::event);
  }

  /** Escalates an active alert to {@code severity} from a claimed timer; the event, or null. */
  public Future<JsonObject> escalate(String member, long leaseScore, String alertId, String severity, Instant at,
                                     Long nextScore) {
    var keys = List.of(alertKey(alertId), TRANSITIONS, DEADLINES);
    var args = List.of(member, Long.toString(leaseScore), severity, at.toString(), STREAM_LENGTH,
        nextScore == null ? "" : Long.toString(nextScore));
    return store.escalate.call(keys, args).map(AlertTransitions::event);
  }

  /** Drops a timer that has nothing left to do. */
  public Future<Void> drop(String member) {
    return store.redis().send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.ZREM).arg(DEADLINES)
        .arg(member)).mapEmpty();
  }

  /** The timers due at {@code now} (at most {@code limit}), claimed until {@code leaseEnd}. */
  public Future<List<Claimed>> claim(long now, long leaseEnd, int limit) {
    return store.claim.call(List.of(DEADLINES), List.of(Long.toString(now), Long.toString(leaseEnd), Integer.toString(limit)))
        .map(answer -> {
          var claimed = new ArrayList<Claimed>();
          for (int i = 0; i + 1 < answer.size(); i += 2) {
            claimed.add(new Claimed(answer.get(i).toString(), (long) Double.parseDouble(answer.get(i + 1).toString())));
          }
          return claimed;
        });
  }

  private static JsonObject event(io.vertx.redis.client.Response answer) {
    return answer == null ? null : new JsonObject(answer.toString());
  }
}
