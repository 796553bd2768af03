package io.vigie.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vigie.common.http.ApiException;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.message.Ack;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.config.GatewayConfig;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared ingestion path: de-duplication, shared outcomes and the in-flight bound, in front of a stand-in append
 * that holds each uplink until the test answers it (the real append is {@code IngestLogTest}'s).
 */
@ExtendWith(VertxExtension.class)
class IngestPipelineTest {
  private static final Instant AT = Instant.parse("2026-11-29T09:16:55.911Z");
  /** One append waiting for its answer. */
  private record Sent(Uplink uplink, Promise<Ack> outcome) {
    JsonObject body() {
      return uplink.toJson();
    }

    void reply(JsonObject ack) {
      outcome.complete(Ack.fromJson(ack));
    }

    void fail(int status, String message) {
      outcome.fail(new ApiException(status, "unavailable", message));
    }
  }

  private final BlockingQueue<Sent> received = new LinkedBlockingQueue<>();
  private SimpleMeterRegistry meters;
  private IngestPipeline pipeline;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    meters = new SimpleMeterRegistry();
    var config = GatewayConfig.from(VigieConfig.from(new JsonObject()
        .put("ingest", new JsonObject().put("token", "t").put("maxInFlight", 2).put("dedupWindowMs", 150))
        .put("udp", new JsonObject().put("port", "off"))));
    pipeline = new IngestPipeline(vertx, config, new IngestMetrics(meters), uplink -> {
      var sent = new Sent(uplink, Promise.promise());
      received.add(sent);
      return sent.outcome().future();
    });
  }

  @AfterEach
  void tearDown() {
    received.clear();
  }

  private static Uplink frame(String gateway, double rssi) {
    return frame(gateway, rssi, 868_100_000L);
  }

  private static Uplink frame(String gateway, double rssi, long frequencyHz) {
    return new Uplink("0101010101010101", 42, 1, "1f2ae6dd", true, "2685d0c1", AT, "semtech-udp",
        List.of(new RxInfo(gateway, rssi, 5.0)), "40c1d08526802a004f1f2ae6dd9471f92e",
        new TxInfo(frequencyHz, null, 7, 125_000, "4/5", true, false));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double count(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("copies of a frame within the window become one uplink with every gateway's radio data and the first one's tx info, and share its ack")
  void copiesMerged() throws Exception {
    var first = pipeline.submit("semtech-udp", frame("aa555a0000000101", -35, 868_100_000L), 150);
    var second = pipeline.submit("semtech-udp", frame("aa555a0000000102", -97, 868_300_000L), 150);
    var again = pipeline.submit("semtech-udp", frame("aa555a0000000101", -36), 150);

    var message = received.poll(5, TimeUnit.SECONDS);
    var merged = Uplink.fromJson(message.body());
    assertThat(merged.rx()).containsExactly(new RxInfo("aa555a0000000101", -35.0, 5.0),
        new RxInfo("aa555a0000000102", -97.0, 5.0));
    assertThat(merged.tx().frequencyHz()).isEqualTo(868_100_000L);
    message.reply(new Ack("0101010101010101-0000002a", false).toJson());

    assertThat(await(first)).isEqualTo(new Ack("0101010101010101-0000002a", false));
    assertThat(await(second)).isEqualTo(await(first));
    assertThat(await(again)).isEqualTo(await(first));
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("sent once").isNull();
    assertThat(count("vigie.gateway.uplinks.deduplicated", "adapter", "semtech-udp")).isEqualTo(2);
    assertThat(count("vigie.gateway.uplinks.accepted", "adapter", "semtech-udp", "duplicate", "false")).isEqualTo(1);
  }

  @Test
  @DisplayName("a copy arriving after the window but while the uplink is in flight shares its outcome without a new send")
  void lateCopyShares() throws Exception {
    var first = pipeline.submit("mqtt", frame("aa555a0000000101", -35), 50);
    var message = received.poll(5, TimeUnit.SECONDS);
    var late = pipeline.submit("mqtt", frame("aa555a0000000102", -90), 50);
    message.fail(503, "store down");

    assertThat(first.toCompletionStage().toCompletableFuture()).failsWithin(5, TimeUnit.SECONDS);
    assertThat(late.toCompletionStage().toCompletableFuture()).failsWithin(5, TimeUnit.SECONDS);
    assertThat(count("vigie.gateway.uplinks.rejected", "adapter", "mqtt", "reason", "unavailable")).isEqualTo(1);

    var retried = pipeline.submit("mqtt", frame("aa555a0000000101", -35), 50);
    var resent = received.poll(5, TimeUnit.SECONDS);
    assertThat(resent).as("a failure is forgotten: a redelivery is sent again").isNotNull();
    resent.reply(new Ack("0101010101010101-0000002a", false).toJson());
    assertThat(await(retried).duplicate()).isFalse();
  }

  @Test
  @DisplayName("for a window after the ack, a straggler copy is answered duplicate at once")
  void stragglerAnsweredDuplicate() throws Exception {
    var first = pipeline.submit("semtech-udp", frame("aa555a0000000101", -35), 150);
    received.poll(5, TimeUnit.SECONDS).reply(new Ack("0101010101010101-0000002a", false).toJson());
    await(first);

    var straggler = await(pipeline.submit("semtech-udp", frame("aa555a0000000103", -110), 150));

    assertThat(straggler).isEqualTo(new Ack("0101010101010101-0000002a", true));
    assertThat(received).isEmpty();
  }

  @Test
  @DisplayName("different frames are not merged, and past maxInFlight a new frame is refused as saturated")
  void saturation() throws Exception {
    pipeline.submit("semtech-udp", frame("g1", -35), 0);
    pipeline.submit("semtech-udp", new Uplink("0101010101010101", 43, 1, "00", true, null, AT, "semtech-udp", List.of(), null), 0);
    var third = pipeline.submit("semtech-udp", new Uplink("0202020202020202", 1, 1, "00", true, null, AT, "semtech-udp",
        List.of(), null), 0);

    assertThat(third.toCompletionStage().toCompletableFuture()).failsWithin(5, TimeUnit.SECONDS)
        .withThrowableThat().withMessageContaining("2 uplinks from semtech-udp are already waiting");
    assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(count("vigie.gateway.uplinks.rejected", "adapter", "semtech-udp", "reason", "saturated")).isEqualTo(1);
  }

  @Test
  @DisplayName("the outcome is delivered on the caller's context")
  void callerContext() throws Exception {
    var context = vertx.getOrCreateContext();
    var onCaller = new java.util.concurrent.CompletableFuture<Boolean>();
    context.runOnContext(v -> pipeline.submit("mqtt", frame("g1", -35), 0)
        .onComplete(done -> onCaller.complete(vertx.getOrCreateContext() == context)));
    received.poll(5, TimeUnit.SECONDS).reply(new Ack("0101010101010101-0000002a", false).toJson());

    assertThat(onCaller.get(5, TimeUnit.SECONDS)).isTrue();
  }
}
