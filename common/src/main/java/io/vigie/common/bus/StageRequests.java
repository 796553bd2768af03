package io.vigie.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vigie.common.Addresses;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The requests of one pipeline stage to the next ({@code uplink.received}, {@code uplink.decoded},
 * {@code measurement.stored}), each waiting at most the stage's timeout ({@link io.vigie.common.config.StageTimeouts}).
 * The clustered event bus keeps routing to a dead member's consumers until Hazelcast removes it, and a request sent
 * there waits its whole timeout. The news that a member left ({@link Addresses#CLUSTER_MEMBER_LEFT}) comes first; the
 * removal of its consumers follows, a few hundred milliseconds later on a quiet machine, seconds later on a loaded one
 * (ClusteredReliabilityTest saw requests sent a second after the news reach the dead decoder). So at each of
 * {@link #RESEND_AFTER_MS} after the news, every request still waiting whose last copy left at least
 * {@link #MIN_AGE_MS} before is sent again: those waiting at the news, and those sent meanwhile to consumers not yet
 * removed. The first answer wins, the others are ignored. Every stage is idempotent, so the worst a second copy costs
 * is work. A request fails only once every copy failed. Create it in the {@code start()} of the verticle that sends: it is confined to
 * that verticle's context.
 */
public final class StageRequests {
  /** After a member left: when the requests still waiting are sent again (Vert.x drops its consumers meanwhile). */
  public static final long[] RESEND_AFTER_MS = {1000, 3000, 6000};
  /** A copy younger than this is not sent again: it left after the dead member's consumers were most likely gone. */
  public static final long MIN_AGE_MS = 1000;

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;
  private final Set<Call> waiting = new LinkedHashSet<>();
  private final MessageConsumer<Object> memberLeft;
  private long resent;

  public StageRequests(Vertx vertx, String address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.memberLeft = vertx.eventBus().localConsumer(Addresses.CLUSTER_MEMBER_LEFT, message -> {
      for (var delay : RESEND_AFTER_MS) vertx.setTimer(delay, id -> resend());
    });
  }

  /** Sends {@code body} and completes with the first reply (of any copy); fails once every copy failed. */
  public <T> Future<Message<T>> request(Object body) {
    var call = new Call(body);
    waiting.add(call);
    call.send();
    return call.answer.future().map(message -> {
      @SuppressWarnings("unchecked") var typed = (Message<T>) message;
      return typed;
    });
  }

  /** Copies sent again after a member left (for metrics and tests). */
  public long resent() {
    return resent;
  }

  public Future<Void> close() {
    return memberLeft.unregister();
  }

  private void resend() {
    var now = System.nanoTime();
    for (var call : List.copyOf(waiting)) {
      if (now - call.lastSentAt < TimeUnit.MILLISECONDS.toNanos(MIN_AGE_MS)) continue;
      resent++;
      call.send();
    }
  }

  private final class Call {
    private final Object body;
    private final Promise<Message<Object>> answer = Promise.promise();
    private int copies;
    /** When the last copy left (System.nanoTime). */
    private long lastSentAt;

    Call(Object body) {
      this.body = body;
    }

    void send() {
      if (answer.future().isComplete()) return;
      copies++;
      lastSentAt = System.nanoTime();
      vertx.eventBus().request(address, body, options).onComplete(result -> {
        copies--;
        if (result.succeeded()) {
          answer.tryComplete(result.result());
        } else if (copies == 0) {
          answer.tryFail(result.cause());
        }
        if (answer.future().isComplete()) waiting.remove(this);
      });
    }
  }
}
