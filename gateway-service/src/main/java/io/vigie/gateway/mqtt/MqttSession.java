package io.vigie.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import io.vigie.gateway.config.MqttSettings;
import io.vigie.gateway.ingest.IngestMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of the MQTT adapter: a persistent session (clean session off, stable client id, manual
 * acknowledgement), subscribed at QoS 1 after every connection, reconnected with an exponential backoff (with
 * jitter) when lost, and disconnected on purpose when unacknowledged messages must be delivered again. Confined
 * to the event loop of the verticle that starts it, except {@link #ready()}.
 */
final class MqttSession {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
  /** Far above any uplink: an oversized message must reach us (and be dropped with an ack), not break the connection. */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Vertx vertx;
  private final MqttSettings settings;
  private final IngestMetrics metrics;
  private final List<String> filters;
  private final Handler<MqttPublishMessage> messages;
  private final Runnable onClosed;

  private MqttClient client;
  /** Changes at every connection and disconnection: outcomes of an older connection are not acknowledged. */
  private int generation;
  private boolean connected;
  private boolean stopping;
  private boolean redeliveryPending;
  private boolean lastCloseForRedelivery;
  private int failedAttempts;
  private long backoffMs;
  private long reconnectTimer = -1;
  private Integer subscribePacketId;
  private volatile boolean ready;
  private volatile String problem = "not connected yet";

  MqttSession(Vertx vertx, MqttSettings settings, IngestMetrics metrics, List<String> filters,
              Handler<MqttPublishMessage> messages, Runnable onClosed) {
    this.vertx = vertx;
    this.settings = settings;
    this.metrics = metrics;
    this.filters = filters;
    this.messages = messages;
    this.onClosed = onClosed;
  }

  void start() {
    var options = new MqttClientOptions().setClientId(settings.clientId()).setCleanSession(false)
        .setKeepAliveInterval(settings.keepAliveSeconds()).setMaxMessageSize(MAX_MESSAGE_BYTES);
    options.setAutoAck(false);
    options.setConnectTimeout(10_000);
    if (settings.username() != null) options.setUsername(settings.username());
    if (settings.password() != null) options.setPassword(settings.password());
    if (settings.tls()) options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
    client = MqttClient.create(vertx, options);
    client.publishHandler(messages);
    client.subscribeCompletionHandler(this::subscribed);
    client.closeHandler(v -> closed());
    client.exceptionHandler(e -> LOG.debug("MQTT connection to {}: {}", settings.address(), e.toString()));
    metrics.mqttConnected(() -> ready ? 1 : 0);
    backoffMs = settings.reconnectMinMs();
    connect();
  }

  Future<Void> stop() {
    stopping = true;
    ready = false;
    vertx.cancelTimer(reconnectTimer);
    return connected ? client.disconnect().otherwiseEmpty() : Future.succeededFuture();
  }

  /** Succeeds while connected and subscribed; fails with what is wrong. Thread-safe. */
  Future<Void> ready() {
    return ready ? Future.succeededFuture() : Future.failedFuture(problem);
  }

  int generation() {
    return generation;
  }

  boolean connected() {
    return connected;
  }

  /** The pipeline works: the next reconnection waits the shortest delay again. */
  void resetBackoff() {
    lastCloseForRedelivery = false;
    backoffMs = settings.reconnectMinMs();
  }

  long backoffMs() {
    return backoffMs;
  }

  /** Disconnects and reconnects after the backoff, for the broker to deliver unacknowledged messages again. */
  void reconnectForRedelivery() {
    if (!connected || redeliveryPending) return;
    redeliveryPending = true;
    metrics.reconnect("redelivery");
    client.disconnect().onComplete(done -> closed());
  }

  private void connect() {
    reconnectTimer = -1;
    if (stopping) return;
    var attempt = ++generation;
    var connecting = settings.tls() ? client.connect(settings.port(), settings.host(), settings.host())
        : client.connect(settings.port(), settings.host());
    connecting.onComplete(result -> {
      if (attempt != generation) return;
      if (result.failed()) {
        problem = "cannot connect to " + settings.address() + ": " + result.cause().getMessage();
        // the first failure in a row, then one in ten: the readiness check tells the rest
        if (++failedAttempts % 10 == 1) {
          LOG.warn("MQTT: {} (attempt {}; next in about {} ms)", problem, failedAttempts, backoffMs);
        } else {
          LOG.debug("MQTT: {} (attempt {})", problem, failedAttempts);
        }
        scheduleReconnect();
        return;
      }
      failedAttempts = 0;
      connected = true;
      if (stopping) {
        client.disconnect();
        return;
      }
      if (!result.result().isSessionPresent()) {
        LOG.info("MQTT: new session {} on {} (nothing was kept for it while it was away)", settings.clientId(), settings.address());
      }
      subscribe();
    });
  }

  private void subscribe() {
    var topics = new LinkedHashMap<String, Integer>();
    filters.forEach(filter -> topics.put(filter, MqttQoS.AT_LEAST_ONCE.value()));
    client.subscribe(topics)
        .onSuccess(id -> subscribePacketId = id)
        .onFailure(e -> {
          problem = "cannot subscribe to " + topics.keySet() + ": " + e.getMessage();
          LOG.warn("MQTT: {}", problem);
          client.disconnect();
        });
  }

  private void subscribed(MqttSubAckMessage ack) {
    if (subscribePacketId == null || ack.messageId() != subscribePacketId) return;
    var granted = ack.grantedQoSLevels();
    for (int i = 0; i < filters.size() && i < granted.size(); i++) {
      if (granted.get(i) == 0x80) {
        problem = "the broker refused the subscription to " + filters.get(i) + " (check its ACL)";
        LOG.error("MQTT: {}", problem);
        return;
      }
      if (granted.get(i) == 0) {
        LOG.warn("MQTT: {} granted at QoS 0 only: those uplinks are delivered at most once", filters.get(i));
      }
    }
    ready = true;
    problem = null;
    if (!lastCloseForRedelivery) backoffMs = settings.reconnectMinMs();
    LOG.info("MQTT: connected to {} as {}, subscribed to {}", settings.address(), settings.clientId(), filters);
  }

  private void closed() {
    if (!connected) return;
    connected = false;
    ready = false;
    generation++;
    lastCloseForRedelivery = redeliveryPending;
    if (redeliveryPending) {
      problem = "reconnecting for the broker to deliver unacknowledged uplinks again";
    } else if (!stopping) {
      metrics.reconnect("connection_lost");
      problem = "connection to " + settings.address() + " lost";
      LOG.warn("MQTT: {} (next attempt in about {} ms)", problem, backoffMs);
    }
    redeliveryPending = false;
    onClosed.run();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (stopping || reconnectTimer != -1) return;
    var delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
    backoffMs = Math.min(settings.reconnectMaxMs(), backoffMs * 2);
    reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> connect());
  }
}
