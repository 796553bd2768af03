package io.vigie.simulator.sender;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vigie.simulator.Frame;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A network server's MQTT integration publishing into the broker the platform subscribes to, at QoS 1: ChirpStack
 * ({@code application/<application id>/device/<devEui>/event/up}) or The Things Stack
 * ({@code v3/<application id>@<tenant>/devices/<device id>/up}, as its Pub/Sub integration publishes into your own
 * broker; its MQTT server itself only offers QoS 0).
 *
 * <p>The outcome is the broker's PUBACK: the broker took the message. The platform's own end-to-end acknowledgement
 * goes to the broker (its PUBACK for the delivery), not to this publisher, so whether the uplink got stored is
 * checked in Elasticsearch, not here. All MQTT work runs on the context of {@link #start()}.
 */
public final class MqttSender implements UplinkSender {
  /** Which network server's topics and JSON. */
  public enum Flavour {
    CHIRPSTACK("mqtt-chirpstack", frame -> "application/" + ChirpStackUplinks.APPLICATION_ID + "/device/"
        + frame.devEui() + "/event/up", ChirpStackUplinks::up),
    TTS("mqtt-tts", frame -> "v3/" + TtsUplinks.APPLICATION_ID + "@" + TtsUplinks.TENANT_ID + "/devices/"
        + TtsUplinks.deviceId(frame) + "/up", TtsUplinks::up);

    private final String adapter;
    private final Function<Frame, String> topic;
    private final Function<Frame, JsonObject> body;

    Flavour(String adapter, Function<Frame, String> topic, Function<Frame, JsonObject> body) {
      this.adapter = adapter;
      this.topic = topic;
      this.body = body;
    }

    public String topic(Frame frame) {
      return topic.apply(frame);
    }
  }

  private final Vertx vertx;
  private final URI url;
  private final Flavour flavour;
  private final MqttClientOptions options;
  private Context context;
  private MqttClient client;
  /** Packet id → its publisher, until the PUBACK; confined to {@link #context}. */
  private final Map<Integer, Promise<Outcome>> waiting = new HashMap<>();
  /** PUBACKs that overtook their publish's completion (confined too). */
  private final Set<Integer> early = new HashSet<>();

  /** @param url {@code tcp://[user:password@]host:1883} or {@code ssl://…:8883} */
  public MqttSender(Vertx vertx, String url, Flavour flavour) {
    this.vertx = vertx;
    this.url = URI.create(url);
    this.flavour = flavour;
    var scheme = this.url.getScheme() == null ? "" : this.url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of("tcp", "mqtt", "ssl", "mqtts").contains(scheme) || this.url.getHost() == null) {
      throw new IllegalArgumentException("an MQTT URL is tcp://host:1883 or ssl://host:8883, got " + url);
    }
    this.options = new MqttClientOptions()
        .setClientId("vigie-simulator-" + UUID.randomUUID().toString().substring(0, 8))
        .setCleanSession(true)
        .setMaxInflightQueue(10_000)
        .setAckTimeout(30)
        .setKeepAliveInterval(30)
        .setSsl(scheme.equals("ssl") || scheme.equals("mqtts"));
    if (this.url.getRawUserInfo() != null) {
      var parts = this.url.getRawUserInfo().split(":", 2);
      options.setUsername(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
      if (parts.length > 1) options.setPassword(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
    }
  }

  @Override
  public String name() {
    return flavour.adapter;
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return onContext(() -> {
      client = MqttClient.create(vertx, options);
      client.publishCompletionHandler(this::pubAck);
      client.publishCompletionExpirationHandler(id -> complete(id, Outcome.failed("no PUBACK within 30 s")));
      client.closeHandler(closed -> {
        var lost = Map.copyOf(waiting);
        waiting.clear();
        lost.values().forEach(p -> p.tryComplete(Outcome.failed("MQTT connection lost before the PUBACK")));
      });
      var port = url.getPort() > 0 ? url.getPort() : options.isSsl() ? 8883 : 1883;
      return client.connect(port, url.getHost()).<Void>mapEmpty()
          .recover(e -> Future.failedFuture("cannot connect to the MQTT broker " + url.getHost() + ":" + port + ": " + e.getMessage()));
    });
  }

  @Override
  public Future<Outcome> send(Frame frame) {
    return onContext(() -> {
      if (client == null || !client.isConnected()) return Future.succeededFuture(Outcome.failed("not connected to the broker"));
      var promise = Promise.<Outcome>promise();
      client.publish(flavour.topic(frame), flavour.body.apply(frame).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(id -> {
            if (early.remove(id)) promise.complete(Outcome.acked(false));
            else waiting.put(id, promise);
          })
          .onFailure(e -> promise.complete(Outcome.failed("not published: " + e.getMessage())));
      return promise.future();
    });
  }

  @Override
  public Future<Void> close() {
    if (context == null) return Future.succeededFuture();
    return onContext(() -> client != null && client.isConnected() ? client.disconnect() : Future.<Void>succeededFuture());
  }

  private void pubAck(int id) {
    if (!complete(id, Outcome.acked(false))) early.add(id);
  }

  private boolean complete(int id, Outcome outcome) {
    var promise = waiting.remove(id);
    if (promise == null) return false;
    promise.tryComplete(outcome);
    return true;
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    if (context == null) return Future.failedFuture("start() the sender first");
    var promise = Promise.<T>promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
