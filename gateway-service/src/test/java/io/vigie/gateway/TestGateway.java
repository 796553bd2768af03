package io.vigie.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.Addresses;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Ack;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gateway service started by the launcher like in production (HTTP on a free port, UDP on a free port unless
 * told otherwise, MQTT off unless {@code mqtt.url} is given), with a stand-in decoder on {@code uplink.received}.
 */
public final class TestGateway implements AutoCloseable {
  public static final String SECRET = "test-ingest-secret-7f3a";

  public final GatewayService service = new GatewayService();
  public final ServiceLauncher.Running running;
  public final WebClient client;
  /** What the stand-in decoder received, in order. */
  public final BlockingQueue<Message<JsonObject>> received = new LinkedBlockingQueue<>();

  private TestGateway(Map<String, Object> settings) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("ingest", new JsonObject().put("token", SECRET))
        .put("udp", new JsonObject().put("port", 0));
    settings.forEach((path, value) -> ConfigLoader.put(overrides, path, value));
    running = await(ServiceLauncher.launch(List.of(service), Map.of(), overrides));
    client = WebClient.create(running.vertx());
  }

  public static TestGateway start(Map<String, Object> settings) throws Exception {
    return new TestGateway(settings);
  }

  /** The stand-in decoder records each uplink; answer them with {@link #ack} or leave them waiting. */
  public TestGateway recordUplinks() throws Exception {
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, received::add).completion());
    return this;
  }

  /** The stand-in decoder acknowledges every uplink end to end (duplicate false). */
  public TestGateway acknowledgeUplinks() throws Exception {
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      received.add(message);
      message.reply(new Ack(message.body().getString("id"), false).toJson());
    }).completion());
    return this;
  }

  public static void ack(Message<JsonObject> message) {
    message.reply(new Ack(message.body().getString("id"), false).toJson());
  }

  /** The next uplink the stand-in decoder received, or null after {@code seconds}. */
  public Message<JsonObject> nextUplink(int seconds) throws InterruptedException {
    return received.poll(seconds, TimeUnit.SECONDS);
  }

  /** The value of one Prometheus series, e.g. {@code vigie_gateway_uplinks_rejected_total{adapter="mqtt",reason="malformed"}}. */
  public double metric(String series) throws Exception {
    var text = await(client.get(running.port(), "localhost", "/metrics").send()).bodyAsString();
    return text.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst().orElse(0.0);
  }

  public int readinessStatus() throws Exception {
    return await(client.get(running.port(), "localhost", "/health/ready").send()).statusCode();
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(running.stop());
  }
}
