package io.vigie.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StageRequestsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The first copy went to "the dead member": never answered; the copies sent again are. Counts the copies. */
  private AtomicInteger answeringFromTheSecondCopy(String address) {
    var received = new AtomicInteger();
    vertx.eventBus().<String>consumer(address, message -> {
      if (received.incrementAndGet() > 1) message.reply("done " + message.body());
    });
    return received;
  }

  /** Runs on an event-loop context, as a verticle's start() would. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    var promise = Promise.<T>promise();
    vertx.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  @Test
  @DisplayName("a request lost with a member that left is sent again a second later and answered, long before its timeout")
  void resentWhenAMemberLeaves() throws Exception {
    var received = answeringFromTheSecondCopy("stage.next");
    var started = System.nanoTime();
    var answer = onContext(() -> {
      var requests = new StageRequests(vertx, "stage.next", 30_000);
      Future<Message<String>> reply = requests.request("batch-1");
      vertx.setTimer(200, id -> vertx.eventBus().publish(Addresses.CLUSTER_MEMBER_LEFT, new JsonObject().put("member", "x"),
          new DeliveryOptions().setLocalOnly(true)));
      return reply;
    });

    assertThat(answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body()).isEqualTo("done batch-1");
    assertThat(received).hasValue(2);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1000L, 5000L);
  }

  @Test
  @DisplayName("a request sent just after the news that a member left, while its consumers were not yet removed, is sent again at the next round (not at once: it was too young)")
  void sentAfterTheNewsResentAtTheNextRound() throws Exception {
    var received = answeringFromTheSecondCopy("stage.stale");
    var sentAt = new long[1];
    var answer = onContext(() -> {
      var requests = new StageRequests(vertx, "stage.stale", 30_000);
      vertx.eventBus().publish(Addresses.CLUSTER_MEMBER_LEFT, new JsonObject().put("member", "x"), new DeliveryOptions().setLocalOnly(true));
      var reply = Promise.<Message<String>>promise();
      vertx.setTimer(500, id -> {
        sentAt[0] = System.nanoTime();
        requests.<String>request("batch-3").onComplete(reply);
      });
      return reply.future();
    });

    assertThat(answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body()).isEqualTo("done batch-3");
    assertThat(received).hasValue(2);
    // sent 0.5 s after the news: too young at the 1 s round, sent again at the 3 s round
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt[0])).isBetween(2000L, 5000L);
  }

  @Test
  @DisplayName("without a member leaving, a request that is not answered fails after the stage's timeout, sent once")
  void timesOutOtherwise() throws Exception {
    var received = new AtomicInteger();
    vertx.eventBus().<String>consumer("stage.silent", message -> received.incrementAndGet());
    Future<Message<String>> answer = onContext(() -> new StageRequests(vertx, "stage.silent", 300).request("batch-2"));

    var failure = answer.toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
    var cause = failure.getCause() != null ? failure.getCause() : failure;
    assertThat(cause).isInstanceOf(ReplyException.class).hasMessageContaining("Timed out");
    assertThat(received).hasValue(1);
  }
}
