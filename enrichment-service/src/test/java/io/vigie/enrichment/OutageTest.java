package io.vigie.enrichment;

import static io.vigie.enrichment.Harness.await;
import static io.vigie.enrichment.Harness.decoded;
import static io.vigie.enrichment.Harness.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch unreachable in the middle of a stream: a TCP proxy between the service and the shared test
 * Elasticsearch is closed, then opened again.
 */
@RealElasticsearch
class OutageTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private Vertx proxyVertx;
  private TcpProxy proxy;
  private String proxiedUrl;

  @BeforeEach
  void openProxy(EmbeddedElasticsearch elasticsearch) {
    proxyVertx = Vertx.vertx();
    proxy = new TcpProxy(proxyVertx, "127.0.0.1", elasticsearch.port());
    proxiedUrl = "http://127.0.0.1:" + await(proxy.open(0));
  }

  @AfterEach
  void closeProxy() {
    await(proxyVertx.close());
  }

  @Test
  @DisplayName("while Elasticsearch is unreachable nothing is acknowledged and the service is not ready; when it is back every held uplink is stored once and acknowledged")
  void zeroLossAcrossAnOutage() {
    try (var service = start(new JsonObject().put("ackTimeout", 120_000))) {
      var devEui = "70b3d57ed0003001";
      service.device(devEui, Harness.PARIS_FRIDGE);
      assertThat(sendAll(service, devEui, 1, 50)).allSatisfy(ack -> assertThat(ack.succeeded()).isTrue());

      await(proxy.close());
      var during = new ArrayList<Future<JsonObject>>();
      for (int fCnt = 51; fCnt <= 150; fCnt++) during.add(service.send(decoded(devEui, fCnt, T0.plusSeconds(fCnt * 60L), 4.0)));

      await().atMost(Duration.ofSeconds(30)).until(() -> service.readiness() == 503);
      await().atMost(Duration.ofSeconds(30)).until(() -> service.metric("vigie_enrichment_bulk_pending") == 100);
      assertThat(during).as("nothing acknowledged while Elasticsearch is unreachable").noneMatch(Future::isComplete);

      await(proxy.reopen());

      await(Future.all(during), 60);
      assertThat(during).allSatisfy(ack -> assertThat(ack.result().getString("status")).isEqualTo("stored"));
      assertThat(service.count(term("devEui", devEui))).isEqualTo(150);
      await().atMost(Duration.ofSeconds(30)).until(() -> service.readiness() == 200);
    }
  }

  @Test
  @DisplayName("beyond the bound of held uplinks the caller gets 503 at once, a held one 503 after its wait (and leaves the queue); the re-deliveries store everything once, none a duplicate")
  void boundedQueueRefusesLoudly() {
    try (var service = start(new JsonObject().put("maxPending", 20).put("ackTimeout", 2000))) {
      var devEui = "70b3d57ed0003002";
      service.device(devEui, Harness.PARIS_FRIDGE);
      // the first writes create the index: on a slow machine that may take longer than the wait, so re-deliver
      await().atMost(Duration.ofSeconds(60))
          .until(() -> sendAll(service, devEui, 1, 10).stream().allMatch(Future::succeeded));

      await(proxy.close());
      var during = sendAll(service, devEui, 11, 60);

      var failures = during.stream().map(ack -> (ReplyException) ack.cause()).toList();
      assertThat(failures).as("every uplink unacknowledged").allSatisfy(e -> assertThat(e.failureCode()).isEqualTo(503));
      assertThat(failures.stream().filter(e -> e.getMessage().contains("not accepted"))).as("refused at once").hasSize(30);
      assertThat(failures.stream().filter(e -> e.getMessage().contains("to be sent again"))).as("held, then 503").hasSize(20);

      await(proxy.reopen());
      await().atMost(Duration.ofSeconds(30)).until(() -> service.metric("vigie_enrichment_bulk_pending") == 0);

      var redelivered = new ArrayList<Future<JsonObject>>();
      for (int fCnt = 11; fCnt <= 60; fCnt += 10) redelivered.addAll(sendAll(service, devEui, fCnt, fCnt + 9)); // within the bound
      assertThat(redelivered).allSatisfy(ack -> assertThat(ack.succeeded()).isTrue());
      assertThat(redelivered).as("the held ones were dropped, not written behind their callers' backs")
          .allSatisfy(ack -> assertThat(ack.result().getString("status")).isEqualTo("stored"));
      assertThat(service.count(term("devEui", devEui))).isEqualTo(60);
    }
  }

  @Test
  @DisplayName("a batch sent while Elasticsearch is unreachable fails with 503 and nothing of it is acknowledged nor evaluated; sent again once Elasticsearch is back, every uplink is stored once, none a duplicate")
  void batchFailsWholeThenSucceeds() {
    try (var service = start(new JsonObject().put("ackTimeout", 1500))) {
      var devEui = "70b3d57ed0003003";
      service.device(devEui, Harness.PARIS_FRIDGE);
      await().atMost(Duration.ofSeconds(60)).until(() -> service.send(decoded(devEui, 1, T0, 4.0))
          .transform(done -> Future.succeededFuture(done.succeeded())).toCompletionStage().toCompletableFuture().get());
      var batch = new ArrayList<JsonObject>();
      for (int fCnt = 2; fCnt <= 21; fCnt++) batch.add(decoded(devEui, fCnt, T0.plusSeconds(fCnt * 60L), 4.0));
      int evaluatedBefore = service.evaluated.size();

      await(proxy.close());
      assertThat(Harness.failureCode(service.sendBatch(batch))).isEqualTo(503);
      assertThat(service.evaluated).as("nothing evaluated").hasSize(evaluatedBefore);

      await(proxy.reopen());
      await().atMost(Duration.ofSeconds(30)).until(() -> service.metric("vigie_enrichment_bulk_pending") == 0);
      var fates = await(service.sendBatch(batch), 60);

      assertThat(fates).hasSize(20).allSatisfy(fate -> assertThat(fate.getString("status")).isEqualTo("stored"));
      assertThat(service.count(term("devEui", devEui))).isEqualTo(21);
      assertThat(service.evaluated).hasSize(evaluatedBefore + 20);
    }
  }

  /** The service, through the proxy, with these {@code elasticsearch.bulk} settings. */
  private Harness start(JsonObject bulk) {
    return Harness.start(proxiedUrl, Harness.newPrefix("outage"), new JsonObject().put("bulk", bulk));
  }

  /** Sends fCnt {@code from..to} at once and waits for every answer, success or failure. */
  private static List<Future<JsonObject>> sendAll(Harness service, String devEui, int from, int to) {
    var sent = new ArrayList<Future<JsonObject>>();
    for (int fCnt = from; fCnt <= to; fCnt++) sent.add(service.send(decoded(devEui, fCnt, T0.plusSeconds(fCnt * 60L), 4.0)));
    await(Future.join(sent).otherwiseEmpty(), 60);
    return sent;
  }
}
