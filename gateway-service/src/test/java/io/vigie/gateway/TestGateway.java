package io.vigie.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.Addresses;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.testing.Infra;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gateway service started by the launcher like in production (HTTP on a free port, UDP on a free port unless
 * told otherwise, MQTT off unless {@code mqtt.url} is given, the ingest log on the real Redis of {@code testing},
 * emptied first), with a stand-in registry that knows every device but those {@linkplain #forget forgotten}, and,
 * on demand, a stand-in decoder on {@code uplink.received} speaking the batch protocol.
 */
public final class TestGateway implements AutoCloseable {
  public static final String SECRET = "test-ingest-secret-7f3a";
  public static final String TENANT = "default";

  public final GatewayService service = new GatewayService();
  public final ServiceLauncher.Running running;
  public final WebClient client;
  public final Redis redis;
  /** The uplinks the stand-in decoder received, in order. */
  public final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  /** The batches it received (uplinks as JSON), in order. */
  public final BlockingQueue<Message<JsonObject>> batches = new LinkedBlockingQueue<>();
  private final Set<String> unknown = ConcurrentHashMap.newKeySet();

  private TestGateway(Map<String, Object> settings, boolean flush) throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", Infra.redis().url()))
        .put("ingest", new JsonObject().put("token", SECRET).put("leaseMs", 600))
        .put("udp", new JsonObject().put("port", 0));
    settings.forEach((path, value) -> ConfigLoader.put(overrides, path, value));
    if (flush) flushRedis();
    running = await(ServiceLauncher.launch(List.of(service), Map.of(), overrides));
    client = WebClient.create(running.vertx());
    redis = Redis.createClient(running.vertx(), Infra.redis().url());
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var devEui = message.body().getString("devEui");
      if (unknown.contains(devEui)) message.fail(404, "unknown device " + devEui);
      else message.reply(device(devEui, TENANT, "site-paris").toJson());
    }).completion());
  }

  /** Starts on an emptied Redis. */
  public static TestGateway start(Map<String, Object> settings) throws Exception {
    return new TestGateway(settings, true);
  }

  /** Starts on Redis as it is (a second instance, a restart). */
  public static TestGateway startOnSameLog(Map<String, Object> settings) throws Exception {
    return new TestGateway(settings, false);
  }

  public static void flushRedis() throws Exception {
    var vertx = io.vertx.core.Vertx.vertx();
    try {
      await(Redis.createClient(vertx, Infra.redis().url()).send(Request.cmd(Command.FLUSHALL)));
    } finally {
      await(vertx.close());
    }
  }

  /** A device at {@code default/<node>} of {@code tenant}. */
  public static DeviceContext device(String devEui, String tenant, String node) {
    return new DeviceContext(devEui, tenant, "probe " + devEui, "lht65", node, "network-decrypted", null,
        List.of(new PathElement(tenant, "tenant", tenant), new PathElement(node, "site", node)));
  }

  /** The stand-in registry answers 404 for this device from now on (its cache may still know it). */
  public TestGateway forget(String devEui) {
    unknown.add(devEui);
    return this;
  }

  /** The stand-in decoder records each batch and leaves it unanswered (the consumer retries after its timeout). */
  public TestGateway recordUplinks() throws Exception {
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, this::record).completion());
    return this;
  }

  /** The stand-in decoder records every uplink and answers each batch: every uplink {@code stored}. */
  public TestGateway acknowledgeUplinks() throws Exception {
    await(running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_RECEIVED, message -> {
      record(message);
      ack(message);
    }).completion());
    return this;
  }

  private void record(Message<JsonObject> message) {
    batches.add(message);
    message.body().getJsonArray(Batch.UPLINKS).forEach(uplink -> received.add((JsonObject) uplink));
  }

  /** Answers a batch: every uplink {@code stored}. */
  public static void ack(Message<JsonObject> message) {
    message.reply(results(message, UplinkStatus.STORED));
  }

  /** The batch reply with one fate of {@code status} per uplink. */
  public static JsonObject results(Message<JsonObject> message, UplinkStatus status) {
    var uplinks = Batch.fromJson(message.body(), Batch.UPLINKS, Uplink::fromJson);
    return Batch.toJson(Batch.RESULTS, uplinks.stream()
        .map(uplink -> UplinkFate.of(uplink, status, status == UplinkStatus.STORED ? null : "test")).toList(), UplinkFate::toJson);
  }

  /** The next uplink the stand-in decoder received, or null after {@code seconds}. */
  public JsonObject nextUplink(int seconds) throws InterruptedException {
    return received.poll(seconds, TimeUnit.SECONDS);
  }

  /** The number of entries in partition {@code p}'s stream. */
  public long logLength(int partition) throws Exception {
    return await(redis.send(Request.cmd(Command.XLEN).arg("vigie:ingest:{p" + partition + "}:log"))).toLong();
  }

  /** Entries in every partition of the log ({@code ingest.partitions} 8 unless configured). */
  public long logLength() throws Exception {
    long total = 0;
    for (int p = 0; p < 64; p++) total += logLength(p);
    return total;
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

  public static JsonArray uplinksOf(Message<JsonObject> batch) {
    return batch.body().getJsonArray(Batch.UPLINKS);
  }
}
