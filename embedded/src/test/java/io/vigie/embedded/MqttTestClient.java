package io.vigie.embedded;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real MQTT client (Vert.x MQTT, on Netty 4.2 like the services) with blocking helpers for tests. */
final class MqttTestClient implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final MqttClient client;
  private final BlockingQueue<MqttPublishMessage> received = new LinkedBlockingQueue<>();
  private final ConcurrentHashMap<Integer, CompletableFuture<List<Integer>>> subAcks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, CompletableFuture<Void>> pubAcks = new ConcurrentHashMap<>();

  private MqttTestClient(Vertx vertx, MqttClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  public static MqttTestClient connect(int port, String clientId, boolean cleanSession) throws Exception {
    Vertx vertx = Vertx.vertx();
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(clientId)
        .setCleanSession(cleanSession)
        .setMaxMessageSize(1024 * 1024);
    options.setAutoAck(true);
    MqttClient client = MqttClient.create(vertx, options);
    MqttTestClient testClient = new MqttTestClient(vertx, client);
    client.publishHandler(testClient.received::add);
    client.subscribeCompletionHandler(testClient::onSubAck);
    client.publishCompletionHandler(id -> testClient.pubAcks.computeIfAbsent(id, k -> new CompletableFuture<>())
        .complete(null));
    try {
      await(client.connect(port, "127.0.0.1"));
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    return testClient;
  }

  private void onSubAck(MqttSubAckMessage ack) {
    subAcks.computeIfAbsent(ack.messageId(), k -> new CompletableFuture<>()).complete(ack.grantedQoSLevels());
  }

  /** Subscribes and waits for the SUBACK; returns the granted QoS levels. */
  public List<Integer> subscribe(String topic, MqttQoS qos) throws Exception {
    int id = await(client.subscribe(topic, qos.value()));
    return subAcks.computeIfAbsent(id, k -> new CompletableFuture<>()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Publishes; at QoS 1 or 2 waits until the broker acknowledged the message. */
  public void publish(String topic, String payload, MqttQoS qos, boolean retain) throws Exception {
    int id = await(client.publish(topic, Buffer.buffer(payload), qos, false, retain));
    if (qos != MqttQoS.AT_MOST_ONCE) {
      pubAcks.computeIfAbsent(id, k -> new CompletableFuture<>()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The next message received on a subscription. */
  public MqttPublishMessage nextMessage() throws InterruptedException, TimeoutException {
    MqttPublishMessage message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new TimeoutException("No MQTT message within " + TIMEOUT.toSeconds() + " s");
    }
    return message;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      if (client.isConnected()) {
        await(client.disconnect());
      }
    } finally {
      await(vertx.close());
    }
  }
}
