package io.vigie.platform;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * What ChirpStack's MQTT integration does, for {@link UplinkStream}: publishes each uplink at QoS 1 on
 * {@code application/<id>/device/<devEui>/event/up} into the broker the platform subscribes to, and counts it
 * accepted on the broker's PUBACK. Like a network server it reconnects (every 500 ms) when the broker goes away; an
 * uplink published while disconnected, or whose PUBACK never came, is not sent again. Confined to one context.
 */
final class MqttUplinks implements UplinkStream.Transport {
  private static final String APPLICATION = "5f0c7e2a-3b1d-4c6e-9a8f-1e2d3c4b5a69";
  private final Vertx vertx;
  private final Context context;
  private final String host;
  private final int port;
  private final MqttClient client;
  /** Packet id → its sender, until the PUBACK. */
  private final Map<Integer, Promise<Integer>> waiting = new HashMap<>();
  private boolean connected;
  private boolean closed;

  MqttUplinks(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.host = host;
    this.port = port;
    var options = new MqttClientOptions().setClientId("reliability-network-server").setCleanSession(true)
        .setMaxInflightQueue(10_000).setAckTimeout(10);
    options.setConnectTimeout(2000);
    this.client = MqttClient.create(vertx, options);
    client.publishCompletionHandler(id -> answer(id, Future.succeededFuture(UplinkStream.ACCEPTED)));
    client.publishCompletionExpirationHandler(id -> answer(id, Future.failedFuture("no PUBACK within 10 s")));
    client.closeHandler(v -> {
      connected = false;
      Map.copyOf(waiting).keySet().forEach(id -> answer(id, Future.failedFuture("connection lost before the PUBACK")));
      if (!closed) vertx.setTimer(500, id -> connect());
    });
  }

  /** Connects, then keeps connecting after every loss; completes on the first connection. */
  Future<Void> start() {
    var first = Promise.<Void>promise();
    context.runOnContext(v -> client.connect(port, host).onComplete(done -> {
      connected = done.succeeded();
      if (done.succeeded()) first.complete();
      else first.fail(done.cause());
    }));
    return first.future();
  }

  private void connect() {
    if (closed) return;
    client.connect(port, host).onComplete(done -> {
      connected = done.succeeded();
      if (done.failed()) vertx.setTimer(500, id -> connect());
    });
  }

  @Override
  public Future<Integer> send(String devEui, long fCnt, JsonObject body) {
    var sent = Promise.<Integer>promise();
    context.runOnContext(v -> {
      if (!connected) {
        sent.complete(UplinkStream.NOT_REACHED);
        return;
      }
      client.publish("application/" + APPLICATION + "/device/" + devEui + "/event/up", body.toBuffer(),
              MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(id -> waiting.put(id, sent))
          .onFailure(sent::fail);
    });
    return sent.future();
  }

  private void answer(int packetId, Future<Integer> outcome) {
    var sender = waiting.remove(packetId);
    if (sender != null) outcome.onComplete(sender);
  }

  Future<Void> close() {
    var done = Promise.<Void>promise();
    context.runOnContext(v -> {
      closed = true;
      (connected ? client.disconnect() : Future.<Void>succeededFuture()).onComplete(done);
    });
    return done.future();
  }
}
