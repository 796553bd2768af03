package io.vigie.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vigie.common.message.Ack;
import io.vigie.gateway.adapter.Incoming;
import io.vigie.gateway.adapter.InvalidUplinkException;
import io.vigie.gateway.adapter.JsonBodies;
import io.vigie.gateway.adapter.WebhookProvider;
import io.vigie.gateway.config.MqttSettings;
import io.vigie.gateway.ingest.IngestMetrics;
import io.vigie.gateway.ingest.IngestPipeline;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT adapter: ChirpStack and The Things Stack uplink messages from the broker ({@link MqttSession}) through
 * the pipeline. A message is acknowledged (PUBACK) only once its uplink is appended to the ingest log (or answered
 * duplicate), or when it can never succeed (malformed, too large, unknown device).
 *
 * <p>On a transient failure (log full, Redis or the registry unreachable, saturation) the message is left
 * unacknowledged. An MQTT 3.1.1 broker must send unacknowledged messages again when the session reconnects (and
 * is not required to before), so the adapter then stops taking messages, waits for the uplinks in flight,
 * disconnects and reconnects after the backoff: the broker delivers every unacknowledged message again.
 */
public final class MqttIngestVerticle extends VerticleBase {
  public static final String ADAPTER = "mqtt";
  private static final Logger LOG = LoggerFactory.getLogger(MqttIngestVerticle.class);

  private record Route(String filter, WebhookProvider provider) {}

  private final MqttSettings settings;
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;
  private final int bodyLimit;
  private final long drainTimeoutMs;
  private final List<Route> routes;
  private MqttSession session;
  /** A transient failure happened: hold every message until the reconnection. */
  private boolean draining;
  private int inFlight;
  private long drainTimer = -1;
  /** The rejection reasons already logged as a warning (a few tags); event-loop confined. */
  private final Set<String> warnedReasons = new HashSet<>();

  public MqttIngestVerticle(MqttSettings settings, IngestPipeline pipeline, IngestMetrics metrics, int bodyLimit,
                            long requestTimeoutMs, WebhookProvider chirpstack, WebhookProvider tts) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.bodyLimit = bodyLimit;
    this.drainTimeoutMs = requestTimeoutMs + pipeline.dedupWindowMs() + 1000;
    var list = new ArrayList<Route>();
    if (!settings.chirpstackTopic().isEmpty()) list.add(new Route(settings.chirpstackTopic(), chirpstack));
    if (!settings.ttsTopic().isEmpty()) list.add(new Route(settings.ttsTopic(), tts));
    this.routes = List.copyOf(list);
  }

  /** The readiness probe: succeeds while connected and subscribed. */
  public Future<Void> ready() {
    var current = session;
    return current == null ? Future.failedFuture("not started") : current.ready();
  }

  @Override
  public Future<?> start() {
    session = new MqttSession(vertx, settings, metrics, routes.stream().map(Route::filter).toList(), this::receive,
        this::connectionClosed);
    session.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(drainTimer);
    // unacknowledged messages stay with the broker for the next start (same client id)
    return session.stop();
  }

  private void receive(MqttPublishMessage message) {
    var connection = session.generation();
    if (draining) {
      if (message.qosLevel() != MqttQoS.AT_MOST_ONCE) metrics.unacknowledged(ADAPTER);
      return;
    }
    var route = routes.stream().filter(r -> TopicFilter.matches(r.filter(), message.topicName())).findFirst().orElse(null);
    if (route == null) {
      metrics.ignored(ADAPTER, "unexpected_topic");
      acknowledge(message, connection);
      return;
    }
    var ignoredEvent = route.provider().ignoredByTopic(message.topicName());
    if (ignoredEvent != null) {
      metrics.ignored(ADAPTER, ignoredEvent);
      acknowledge(message, connection);
      return;
    }
    Incoming incoming;
    try {
      if (message.payload().length() > bodyLimit) {
        throw new InvalidUplinkException("too_large", message.payload().length() + " bytes, more than ingest.bodyLimit");
      }
      incoming = route.provider().read(JsonBodies.object(message.payload(), "a " + route.provider().adapter() + " uplink",
          route.provider().shape()));
    } catch (RuntimeException e) {
      // never valid, however often it is delivered: acknowledged so that it does not come back
      var reason = e instanceof InvalidUplinkException invalid ? invalid.reason() : InvalidUplinkException.MALFORMED;
      metrics.rejected(ADAPTER, reason);
      // the first drop of each reason is a warning, the next ones debug (counted): a stream of bad messages must
      // not flood the log with what their sender chose to write
      if (warnedReasons.add(reason)) {
        LOG.warn("MQTT message on {} dropped: {} (further drops for '{}' are logged at DEBUG and counted in "
            + "vigie_gateway_uplinks_rejected_total)", message.topicName(), e.getMessage(), reason);
      } else {
        LOG.debug("MQTT message on {} dropped: {}", message.topicName(), e.getMessage());
      }
      acknowledge(message, connection);
      return;
    }
    if (incoming instanceof Incoming.Ignored ignored) {
      metrics.ignored(ADAPTER, ignored.event());
      acknowledge(message, connection);
      return;
    }
    inFlight++;
    pipeline.submit(ADAPTER, ((Incoming.Up) incoming).uplink(), pipeline.dedupWindowMs())
        .onComplete(outcome -> settled(message, connection, outcome));
  }

  private void settled(MqttPublishMessage message, int connection, AsyncResult<Ack> outcome) {
    if (connection != session.generation()) return; // that connection is gone: the broker delivers it again
    inFlight--;
    if (outcome.succeeded()) {
      acknowledge(message, connection);
      session.resetBackoff();
    } else if (IngestPipeline.isPermanent(outcome.cause())) {
      LOG.info("MQTT message on {} refused for good ({}): acknowledged", message.topicName(), outcome.cause().getMessage());
      acknowledge(message, connection);
    } else if (message.qosLevel() != MqttQoS.AT_MOST_ONCE) {
      metrics.unacknowledged(ADAPTER);
      startRedelivery(outcome.cause().getMessage());
    }
    if (draining && inFlight == 0) redeliver();
  }

  private void startRedelivery(String why) {
    if (draining) return;
    draining = true;
    LOG.warn("MQTT: an uplink was not acknowledged ({}); reconnecting in about {} ms so that the broker delivers it again",
        why, session.backoffMs());
    drainTimer = vertx.setTimer(drainTimeoutMs, id -> redeliver());
    if (inFlight == 0) redeliver();
  }

  private void redeliver() {
    vertx.cancelTimer(drainTimer);
    session.reconnectForRedelivery();
  }

  private void connectionClosed() {
    inFlight = 0;
    draining = false;
    vertx.cancelTimer(drainTimer);
  }

  private void acknowledge(MqttPublishMessage message, int connection) {
    if (message.qosLevel() == MqttQoS.AT_MOST_ONCE || connection != session.generation() || !session.connected()) return;
    try {
      message.ack();
    } catch (IllegalArgumentException alreadyAcknowledged) {
      // a broker copy sharing this one's outcome was acknowledged already
    }
  }
}
