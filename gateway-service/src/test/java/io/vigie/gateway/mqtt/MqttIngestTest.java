package io.vigie.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vigie.common.Addresses;
import io.vigie.common.message.Ack;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.gateway.Fixtures;
import io.vigie.gateway.TestGateway;
import io.vigie.testing.RealMqtt;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT adapter against a real broker (Moquette, from {@code testing}): what is acknowledged, when, and what
 * the broker does with what is not. Each test has its own client id and topic prefix on the shared broker; a
 * stand-in decoder on {@code uplink.received} decides the end-to-end outcome.
 */
@RealMqtt
class MqttIngestTest {
  private static final String DEVICE_TOPIC = "/application/17c82e96/device/0101010101010101/event/up";
  private static final String TTS_TOPIC = "/v3/cold-chain@ttn/devices/fridge-0042/up";

  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String clientId = "vigie-test-" + prefix;
  private final List<TestGateway> gateways = new java.util.ArrayList<>();
  private Vertx publisherVertx;
  private MqttClient publisher;

  @BeforeEach
  void publisher(EmbeddedMqttBroker broker) throws Exception {
    publisherVertx = Vertx.vertx();
    connectPublisher(broker.port());
  }

  @AfterEach
  void stop() throws Exception {
    for (var gateway : gateways) gateway.close();
    TestGateway.await(publisherVertx.close());
  }

  // ---------------------------------------------------------------- uplinks in

  @Test
  @DisplayName("a ChirpStack up event on application/+/device/+/event/up reaches the decoder and is acknowledged after its ack")
  void chirpstackTopic(EmbeddedMqttBroker broker) throws Exception {
    var gateway = start(broker.url(), Map.of()).acknowledgeUplinks();
    awaitReady(gateway);

    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);

    var uplink = Uplink.fromJson(gateway.nextUplink(10));
    assertThat(uplink).isEqualTo(new Uplink("0101010101010101", 7, 1, "016700eb", false, "00189440",
        Instant.parse("2026-11-29T09:34:15.775023242Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5), new RxInfo("0016c001f153a14d", -98.0, -2.25)), null,
        new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", false, false)));
    await().atMost(Duration.ofSeconds(5)).until(() ->
        gateway.metric("vigie_gateway_uplinks_accepted_total{adapter=\"mqtt\",duplicate=\"false\"}") == 1.0);
    assertThat(gateway.metric("vigie_gateway_mqtt_connected")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a The Things Stack uplink on v3/+/devices/+/up is read with the TTS format; QoS 0 messages are taken too")
  void ttsTopic(EmbeddedMqttBroker broker) throws Exception {
    var gateway = start(broker.url(), Map.of()).acknowledgeUplinks();
    awaitReady(gateway);

    publish(prefix + TTS_TOPIC, Fixtures.json("tts-v3-up.json").toBuffer(), MqttQoS.AT_MOST_ONCE);

    var uplink = Uplink.fromJson(gateway.nextUplink(10));
    assertThat(uplink.source()).isEqualTo("tts-v3");
    assertThat(uplink.id()).isEqualTo("0004a30b001c0530-0000072a");
  }

  // ---------------------------------------------------------------- acknowledgement

  @Test
  @DisplayName("the PUBACK leaves once the uplink is appended: with no decoder running, a restarted gateway gets no second delivery and drains the log")
  void pubackOnceAppended(EmbeddedMqttBroker broker) throws Exception {
    var first = start(broker.url(), Map.of());
    awaitReady(first);
    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        first.metric("vigie_gateway_uplinks_appended_total{adapter=\"mqtt\"}") == 1.0);
    stopGateway(first);

    var second = startOnSameLog(broker.url()).acknowledgeUplinks();
    awaitReady(second);
    assertThat(second.nextUplink(10).getString("id")).as("from the log").isEqualTo("0101010101010101-00000007");
    assertThat(second.nextUplink(2)).as("acknowledged: not delivered again by the broker").isNull();
    assertThat(second.metric("vigie_gateway_uplinks_appended_total{adapter=\"mqtt\"}")).isZero();
  }

  @Test
  @DisplayName("when the ingest log is full the message is not acknowledged: the broker delivers it again once there is room")
  void logFullRedelivered(EmbeddedMqttBroker broker) throws Exception {
    var gateway = start(broker.url(), Map.of("ingest.partitions", 1, "ingest.maxEntries", 1));
    var decoderUp = new java.util.concurrent.atomic.AtomicBoolean();
    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      TestGateway.uplinksOf(message).forEach(uplink -> gateway.received.add((JsonObject) uplink));
      if (decoderUp.get()) TestGateway.ack(message);
      else message.fail(503, "the decoder is down");
    });
    awaitReady(gateway);

    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);
    assertThat(gateway.nextUplink(10)).as("the first is appended and sent down (and refused)").isNotNull();
    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up-first-frame.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"mqtt\",reason=\"log_full\"}")).isEqualTo(1.0);
      assertThat(gateway.metric("vigie_gateway_uplinks_unacknowledged_total{adapter=\"mqtt\"}")).isEqualTo(1.0);
    });

    decoderUp.set(true);
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.received.stream()
        .anyMatch(uplink -> uplink.getString("id").equals("0101010101010101-00000000")));
    assertThat(gateway.metric("vigie_gateway_uplinks_appended_total{adapter=\"mqtt\"}")).isEqualTo(2.0);
  }

  @Test
  @DisplayName("malformed and oversized messages are counted and acknowledged, so that they never come back")
  void malformedAcknowledged(EmbeddedMqttBroker broker) throws Exception {
    var gateway = start(broker.url(), Map.of("ingest.bodyLimit", 2048)).acknowledgeUplinks();
    awaitReady(gateway);

    publish(prefix + DEVICE_TOPIC, Buffer.buffer("not json at all"), MqttQoS.AT_LEAST_ONCE);
    publish(prefix + DEVICE_TOPIC, Buffer.buffer("[1,2,3]"), MqttQoS.AT_LEAST_ONCE);
    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").put("fCnt", "seven").toBuffer(), MqttQoS.AT_LEAST_ONCE);
    publish(prefix + TTS_TOPIC, Fixtures.json("tts-v3-up.json").put("pad", "x".repeat(4096)).toBuffer(), MqttQoS.AT_LEAST_ONCE);
    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);

    assertThat(gateway.nextUplink(10).getString("id")).isEqualTo("0101010101010101-00000007");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"mqtt\",reason=\"malformed\"}")).isEqualTo(3.0);
      assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"mqtt\",reason=\"too_large\"}")).isEqualTo(1.0);
    });
    stopGateway(gateway);

    publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up-first-frame.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);
    var next = start(broker.url(), Map.of()).acknowledgeUplinks();
    assertThat(next.nextUplink(15).getString("id")).isEqualTo("0101010101010101-00000000");
    assertThat(next.metric("vigie_gateway_uplinks_rejected_total{adapter=\"mqtt\",reason=\"malformed\"}"))
        .as("none of the bad messages came back").isZero();
  }

  @Test
  @DisplayName("the same message delivered twice by the broker becomes one uplink, and both deliveries are acknowledged")
  void brokerDuplicate(EmbeddedMqttBroker broker) throws Exception {
    var gateway = start(broker.url(), Map.of("ingest.dedupWindowMs", 500)).acknowledgeUplinks();
    awaitReady(gateway);

    var body = Fixtures.json("chirpstack-v4-up.json").toBuffer();
    publish(prefix + DEVICE_TOPIC, body, MqttQoS.AT_LEAST_ONCE);
    publish(prefix + DEVICE_TOPIC, body, MqttQoS.AT_LEAST_ONCE);

    assertThat(gateway.nextUplink(10)).isNotNull();
    assertThat(gateway.nextUplink(2)).as("one uplink").isNull();
    assertThat(gateway.metric("vigie_gateway_uplinks_deduplicated_total{adapter=\"mqtt\"}")).isEqualTo(1.0);
    stopGateway(gateway);

    var next = start(broker.url(), Map.of()).acknowledgeUplinks();
    awaitReady(next);
    assertThat(next.nextUplink(2)).as("both deliveries were acknowledged").isNull();
  }

  // ---------------------------------------------------------------- connection

  @Test
  @DisplayName("after the broker goes away the gateway is not ready, reconnects with backoff when it is back, and resubscribes")
  void reconnects(@TempDir Path brokerDir) throws Exception {
    var broker = EmbeddedMqttBroker.start(brokerDir, 0);
    var port = broker.port();
    TestGateway gateway;
    try {
      gateway = start(broker.url(), Map.of()).acknowledgeUplinks();
      awaitReady(gateway);
    } finally {
      broker.close();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.readinessStatus() == 503);
    assertThat(gateway.metric("vigie_gateway_mqtt_connected")).isZero();

    try (var restarted = EmbeddedMqttBroker.start(brokerDir, port)) {
      awaitReady(gateway);
      // at least the loss of the first broker; a broker still starting may also drop a first new connection
      assertThat(gateway.metric("vigie_gateway_mqtt_reconnects_total{reason=\"connection_lost\"}")).isGreaterThanOrEqualTo(1.0);
      connectPublisher(port);
      publish(prefix + DEVICE_TOPIC, Fixtures.json("chirpstack-v4-up.json").toBuffer(), MqttQoS.AT_LEAST_ONCE);
      assertThat(gateway.nextUplink(10)).as("subscribed again").isNotNull();
      stopGateway(gateway);
    }
  }

  @Test
  @DisplayName("with the broker unreachable the readiness check 'mqtt' fails, and the webhooks still work")
  void unreachableBroker() throws Exception {
    var gateway = start("tcp://127.0.0.1:1", Map.of()).acknowledgeUplinks();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var ready = TestGateway.await(gateway.client.get(gateway.running.port(), "localhost", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("\"id\":\"mqtt\"").contains("cannot connect to tcp://127.0.0.1:1");
    });
    var webhook = TestGateway.await(gateway.client.post(gateway.running.port(), "localhost", "/uplinks/ttn")
        .putHeader("Authorization", "Bearer " + TestGateway.SECRET).sendJsonObject(Fixtures.json("tts-v3-up.json")));
    assertThat(webhook.statusCode()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- helpers

  private TestGateway start(String url, Map<String, Object> settings) throws Exception {
    var gateway = TestGateway.start(settings(url, settings));
    gateways.add(gateway);
    return gateway;
  }

  private Map<String, Object> settings(String url, Map<String, Object> settings) {
    var all = new HashMap<String, Object>(Map.of("mqtt.url", url, "mqtt.clientId", clientId,
        "mqtt.topics.chirpstack", prefix + "/application/+/device/+/event/up", "mqtt.topics.tts", prefix + "/v3/+/devices/+/up",
        "mqtt.reconnectMinMs", 100, "mqtt.reconnectMaxMs", 400, "bus.requestTimeout", 3000, "ingest.dedupWindowMs", 50,
        "udp.port", "off"));
    all.putAll(settings);
    return all;
  }

  private TestGateway startOnSameLog(String url) throws Exception {
    var gateway = TestGateway.startOnSameLog(settings(url, Map.of()));
    gateways.add(gateway);
    return gateway;
  }

  private void stopGateway(TestGateway gateway) throws Exception {
    gateways.remove(gateway);
    gateway.close();
  }

  private static void awaitReady(TestGateway gateway) {
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.readinessStatus() == 200);
  }

  private void connectPublisher(int port) throws Exception {
    if (publisher != null && publisher.isConnected()) TestGateway.await(publisher.disconnect());
    publisher = MqttClient.create(publisherVertx, new MqttClientOptions().setClientId("pub-" + prefix).setCleanSession(true)
        .setMaxMessageSize(1024 * 1024));
    TestGateway.await(publisher.connect(port, "127.0.0.1"));
  }

  private void publish(String topic, Buffer payload, MqttQoS qos) throws Exception {
    var acked = new java.util.concurrent.CompletableFuture<Void>();
    publisher.publishCompletionHandler(id -> acked.complete(null));
    TestGateway.await(publisher.publish(topic, payload, qos, false, false));
    if (qos != MqttQoS.AT_MOST_ONCE) acked.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
