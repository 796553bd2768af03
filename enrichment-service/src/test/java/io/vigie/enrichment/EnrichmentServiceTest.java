package io.vigie.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.Addresses;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Batch;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.StoredBatch;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The enrichment service against a real Elasticsearch, with test consumers on its own event bus
 * standing in for the registry ({@code registry.device.context}) and the alert service
 * ({@code measurement.stored}). Each test uses its own devices, the class its own index prefix.
 */
@RealElasticsearch
class EnrichmentServiceTest {
  private static final String PREFIX = "vt-enrich-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String RECEIVED_AT = "2026-11-29T10:15:02.123Z";
  private static final List<PathElement> KITCHEN = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"), new PathElement("kitchen-1", "room", "Kitchen"),
      new PathElement("fridge-12", "asset", "Fridge 12"));
  private static final List<PathElement> CELLAR = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"), new PathElement("cellar", "room", "Cellar"),
      new PathElement("fridge-12", "asset", "Fridge 12"));

  private static ServiceLauncher.Running running;
  private static WebClient http;
  private static String esUrl;
  /** What the registry stand-in answers, by devEui; absent → 404. */
  private static final Map<String, DeviceContext> registry = new ConcurrentHashMap<>();
  private static final List<String> registryAsked = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> alertAsked = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private static final AtomicInteger alertFailures = new AtomicInteger();
  private static final Map<String, CompletableFuture<Void>> markers = new ConcurrentHashMap<>();

  @BeforeAll
  static void start(EmbeddedElasticsearch elasticsearch) {
    esUrl = elasticsearch.url();
    running = launch(overrides(esUrl));
    var bus = running.vertx().eventBus();
    standInRegistry(running);
    bus.<Object>consumer(Addresses.MEASUREMENT_STORED, message -> {
      alertAsked.addAll(StoredBatch.of(message.body()).documents());
      if (alertFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        message.fail(500, "alert store down");
      } else {
        message.reply(new JsonObject());
      }
    });
    bus.<Object>consumer(Addresses.MEASUREMENT_PUBLISHED, message -> {
      // the service publishes StoredBatch records; the test's own markers come as plain JSON
      var documents = message.body() instanceof StoredBatch batch ? batch.documents()
          : ((JsonObject) message.body()).getJsonArray(Batch.MEASUREMENTS).stream().map(JsonObject.class::cast).toList();
      for (var document : documents) {
        if (!document.getString("id").startsWith("marker-")) published.add(document);
        var marker = markers.remove(document.getString("id"));
        if (marker != null) marker.complete(null);
      }
    });
    http = WebClient.create(running.vertx());
  }

  @AfterAll
  static void stop() {
    if (running != null) await(running.stop());
  }

  @Test
  @DisplayName("a decoded measurement is stored under its uplink id in the tenant's monthly index, with tenant, device and path, readable through the tenant alias")
  void storesTheEnrichedMeasurement() {
    var devEui = "70b3d57ed0000001";
    registry.put(devEui, device(devEui, KITCHEN));

    var ack = await(send(decoded(devEui, 42, 4.25)));

    var id = devEui + "-0000002a";
    assertThat(ack.getString("id")).isEqualTo(id);
    assertThat(ack.getString("status")).isEqualTo("stored");
    assertThat(ack.getJsonArray("measurements")).as("the fate lists what was stored").hasSize(1);
    var doc = es(HttpMethod.GET, "/" + PREFIX + "-acme-2026.11/_doc/" + id, null);
    assertThat(doc.statusCode()).isEqualTo(200);
    var source = doc.bodyAsJsonObject().getJsonObject("_source");
    assertThat(source.getString("id")).isEqualTo(id);
    assertThat(source.getString("tenant")).isEqualTo("acme");
    assertThat(source.getString("receivedAt")).isEqualTo(RECEIVED_AT);
    assertThat(source.getJsonObject("device")).isEqualTo(new JsonObject()
        .put("name", "Fridge 12 probe").put("type", "lht65").put("nodeId", "fridge-12"));
    assertThat(pathIds(source)).containsExactly("acme", "site-paris", "kitchen-1", "fridge-12");
    assertThat(source.getJsonArray("measurements").getJsonObject(0).getDouble("value")).isEqualTo(4.25);

    var throughAlias = search(PREFIX + "-acme", termQuery("id", id));
    assertThat(throughAlias.getJsonArray("hits")).hasSize(1);
    assertThat(throughAlias.getJsonArray("hits").getJsonObject(0).getString("_index")).isEqualTo(PREFIX + "-acme-2026.11");

    assertThat(asked(alertAsked, id)).singleElement()
        .satisfies(evaluated -> assertThat(pathIds(evaluated)).containsExactly("acme", "site-paris", "kitchen-1", "fridge-12"));
    awaitPublishedMarker();
    assertThat(asked(published, id)).singleElement().satisfies(live -> assertThat(live.getString("tenant")).isEqualTo("acme"));
  }

  @Test
  @DisplayName("a re-delivered uplink is answered as a duplicate: stored once and never overwritten, evaluated again, not published again")
  void duplicates() {
    var devEui = "70b3d57ed0000002";
    registry.put(devEui, device(devEui, KITCHEN));
    var duplicatesBefore = metric("vigie_enrichment_duplicates_total");

    var first = await(send(decoded(devEui, 7, 4.25)));
    var second = await(send(decoded(devEui, 7, 99.0)));

    var id = devEui + "-00000007";
    assertThat(first.getString("status")).isEqualTo("stored");
    assertThat(second.getString("id")).isEqualTo(id);
    assertThat(second.getString("status")).isEqualTo("duplicate");
    assertThat(count(termQuery("id", id))).isEqualTo(1);
    var stored = es(HttpMethod.GET, "/" + PREFIX + "-acme/_doc/" + id, null).bodyAsJsonObject().getJsonObject("_source");
    assertThat(stored.getJsonArray("measurements").getJsonObject(0).getDouble("value")).isEqualTo(4.25);
    assertThat(asked(alertAsked, id)).hasSize(2);
    awaitPublishedMarker();
    assertThat(asked(published, id)).hasSize(1);
    assertThat(metric("vigie_enrichment_duplicates_total")).isEqualTo(duplicatesBefore + 1);
  }

  @Test
  @DisplayName("the device context the decoder forwarded is used as is: the registry is not asked, the node's attributes are stored")
  void forwardedContext() {
    var devEui = "70b3d57ed0000009";
    var context = new DeviceContext(devEui, "acme", "Forwarded probe", "lht65", "fridge-12", "ABP", null, KITCHEN,
        new JsonObject().put("setpoint", 4));

    await(send(decoded(devEui, 1, 4.0).put(DecodedUplink.CONTEXT, context.toJson())));

    var stored = storedSource(devEui, 1);
    assertThat(stored.getJsonObject("device").getString("name")).isEqualTo("Forwarded probe");
    assertThat(pathIds(stored)).containsExactly("acme", "site-paris", "kitchen-1", "fridge-12");
    assertThat(stored.getJsonObject("attributes")).isEqualTo(new JsonObject().put("setpoint", 4));
    assertThat(stored.containsKey(DecodedUplink.CONTEXT)).as("the context is not stored").isFalse();
    assertThat(registryAsked).doesNotContain(devEui);
  }

  @Test
  @DisplayName("a device's context is asked once, then cached until the registry says it changed: a moved room shows in the next measurement")
  void cachedContextFollowsRegistryChanges() {
    var devEui = "70b3d57ed0000003";
    registry.put(devEui, device(devEui, KITCHEN));

    await(send(decoded(devEui, 1, 4.0)));
    await(send(decoded(devEui, 2, 4.1)));
    assertThat(registryAsked.stream().filter(devEui::equals)).hasSize(1);

    registry.put(devEui, device(devEui, CELLAR));
    await(send(decoded(devEui, 3, 4.2)));
    assertThat(pathIds(storedSource(devEui, 3))).as("no change announced yet: the cached path")
        .containsExactly("acme", "site-paris", "kitchen-1", "fridge-12");

    running.vertx().eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", "node").put("id", "fridge-12").put("tenant", "acme"));
    await(send(decoded(devEui, 4, 4.3)));
    assertThat(pathIds(storedSource(devEui, 4))).containsExactly("acme", "site-paris", "cellar", "fridge-12");
    assertThat(pathIds(asked(alertAsked, devEui + "-00000004").get(0))).contains("cellar");

    registry.put(devEui, device(devEui, KITCHEN));
    running.vertx().eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", "device").put("id", devEui).put("tenant", "acme"));
    await(send(decoded(devEui, 5, 4.4)));
    assertThat(pathIds(storedSource(devEui, 5))).contains("kitchen-1");
    assertThat(registryAsked.stream().filter(devEui::equals)).hasSize(3);
  }

  @Test
  @DisplayName("a measurement of a device the registry does not know gets the fate unknown-device and is not stored")
  void unknownDevice() {
    var devEui = "70b3d57ed0000004";

    assertThat(await(send(decoded(devEui, 1, 4.0))).getString("status")).isEqualTo("unknown-device");
    assertThat(count(termQuery("devEui", devEui))).isZero();
    assertThat(asked(alertAsked, devEui + "-00000001")).isEmpty();
  }

  @Test
  @DisplayName("a malformed decoded measurement is refused with 400")
  void malformed() {
    var failure = failureCode(send(new JsonObject().put("devEui", "70b3d57ed0000005").put("fCnt", "not a counter")));
    assertThat(failure).isEqualTo(400);
  }

  @Test
  @DisplayName("when the alert service fails, the decoder gets 503 though the measurement is stored and pushed live once; the re-delivery is a duplicate evaluated again")
  void alertFailureIsRetriedAsDuplicate() {
    var devEui = "70b3d57ed0000006";
    registry.put(devEui, device(devEui, KITCHEN));
    alertFailures.set(1);

    assertThat(failureCode(send(decoded(devEui, 9, 4.0)))).isEqualTo(503);
    assertThat(count(termQuery("devEui", devEui))).isEqualTo(1);

    var retried = await(send(decoded(devEui, 9, 4.0)));
    assertThat(retried.getString("status")).isEqualTo("duplicate");
    assertThat(asked(alertAsked, devEui + "-00000009")).hasSize(2);
    awaitPublishedMarker();
    assertThat(asked(published, devEui + "-00000009")).as("live pages get the stored reading once, alert outage or not").hasSize(1);
  }

  @Test
  @DisplayName("per-measurement queries match the name and value of the same measurement, and codecs may disagree on a decoded field's type")
  void mappingServesPerMeasurementQueries() {
    var devEui = "70b3d57ed0000007";
    registry.put(devEui, device(devEui, KITCHEN));
    var withBattery = decoded(devEui, 1, 4.25);
    withBattery.getJsonArray("measurements").add(new JsonObject().put("name", "battery").put("unit", "V").put("value", 3.61));
    withBattery.put("decoded", new JsonObject().put("status", 1).put("nested", new JsonObject().put("x", true)));
    var otherCodec = decoded(devEui, 2, 5.0).put("decoded", new JsonObject().put("status", "ok"));

    await(send(withBattery));
    await(send(otherCodec));

    assertThat(count(measurementQuery(devEui, "temperature", 4.0))).isEqualTo(2);
    assertThat(count(measurementQuery(devEui, "battery", 4.0))).as("battery 3.61 is not above 4").isZero();
    assertThat(count(new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray()
        .add(termQuery("devEui", devEui)).add(termQuery("decoded.status", "ok")))))).isEqualTo(1);
    var mapping = es(HttpMethod.GET, "/" + PREFIX + "-acme-2026.11/_mapping", null).bodyAsJsonObject()
        .getJsonObject(PREFIX + "-acme-2026.11").getJsonObject("mappings").getJsonObject("properties");
    assertThat(mapping.getJsonObject("measurements").getString("type")).isEqualTo("nested");
    assertThat(mapping.getJsonObject("decoded").getString("type")).isEqualTo("flattened");
    assertThat(mapping.getJsonObject("receivedAt").getString("type")).isEqualTo("date");
  }

  @Test
  @DisplayName("with Elasticsearch unreachable the service still starts, answers 503 to the decoder and is not ready")
  void unreachableElasticsearch() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var down = launch(overrides("http://127.0.0.1:" + closedPort));
    try {
      standInRegistry(down);
      var devEui = "70b3d57ed0000008";
      registry.put(devEui, device(devEui, KITCHEN));

      var failure = failureCode(down.vertx().eventBus().request(Addresses.UPLINK_DECODED, batch(decoded(devEui, 1, 4.0))));

      assertThat(failure).isEqualTo(503);
      var client = WebClient.create(down.vertx());
      var ready = await(client.get(down.port(), "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      var elasticsearchCheck = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(check -> "enrichment".equals(check.getString("id")))
          .flatMap(check -> check.getJsonArray("checks").stream().map(JsonObject.class::cast))
          .filter(check -> "elasticsearch".equals(check.getString("id"))).findFirst().orElseThrow();
      assertThat(elasticsearchCheck.getString("status")).isEqualTo("DOWN");
      assertThat(elasticsearchCheck.getJsonObject("data").getString("reason")).contains("Connection refused");
      var metrics = await(client.get(down.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertThat(metrics).containsPattern("vigie_enrichment_failures_total\\{reason=\"store\".*} 1\\.0");
      assertThat(await(http.get(running.port(), "127.0.0.1", "/health/ready").send()).statusCode())
          .as("the instance with a reachable Elasticsearch is ready").isEqualTo(200);
    } finally {
      await(down.stop());
    }
  }

  @Test
  @DisplayName("without an Elasticsearch URL the service refuses to start and says which setting is missing")
  void missingUrl() {
    var overrides = overrides("");
    assertThatThrownBy(() -> launch(overrides))
        .hasMessageContaining("VIGIE_ES_URL");
  }

  // --- the stand-ins, the bus, Elasticsearch over plain HTTP

  private static JsonObject overrides(String elasticsearchUrl) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("bus", new JsonObject().put("requestTimeout", 10_000))
        .put("elasticsearch", new JsonObject().put("url", elasticsearchUrl).put("indexPrefix", PREFIX));
  }

  /** The service on its own Vert.x, configured from the defaults and these overrides (no environment). */
  private static ServiceLauncher.Running launch(JsonObject overrides) {
    return await(ServiceLauncher.launch(List.of(new EnrichmentService()), Map.of(), overrides));
  }

  private static void standInRegistry(ServiceLauncher.Running target) {
    target.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var devEui = message.body().getString("devEui");
      registryAsked.add(devEui);
      var device = registry.get(devEui);
      if (device == null) {
        message.fail(404, "device " + devEui + " not found");
      } else {
        message.reply(device.toJson());
      }
    });
    target.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, message -> {
      var id = message.body().getString("id");
      message.reply(new JsonObject().put("id", id).put("tenant", "acme").put("kind", "asset").put("name", "Fridge 12")
          .put("attributes", new JsonObject().put("setpoint", 4)).put("path", new JsonArray()));
    });
  }

  private static DeviceContext device(String devEui, List<PathElement> path) {
    return new DeviceContext(devEui, "acme", "Fridge 12 probe", "lht65", "fridge-12", "ABP", null, path);
  }

  /** A measurement as the decoder sends it: no tenant, device or path. */
  private static JsonObject decoded(String devEui, long fCnt, double temperature) {
    return new JsonObject().put("devEui", devEui).put("fCnt", fCnt).put("fPort", 2).put("receivedAt", RECEIVED_AT)
        .put("source", "chirpstack-v4")
        .put("rx", new JsonArray().add(new JsonObject().put("gatewayId", "b827ebfffe000001").put("rssi", -97).put("snr", 7.5)))
        .put("decoded", new JsonObject().put("temperature", temperature))
        .put("measurements", new JsonArray().add(new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", temperature)));
  }

  /** A batch of one decoded uplink; its fate. */
  private static Future<JsonObject> send(JsonObject decoded) {
    return running.vertx().eventBus().<Object>request(Addresses.UPLINK_DECODED, batch(decoded))
        .map(reply -> FateBatch.of(reply.body()).results().get(0).toJson());
  }

  private static JsonObject batch(JsonObject decoded) {
    return new JsonObject().put(Batch.UPLINKS, new JsonArray().add(decoded));
  }

  private static int failureCode(Future<?> request) {
    var failure = await(request.<Throwable>transform(done -> Future.succeededFuture(done.cause())));
    assertThat(failure).as("the request should have failed").isInstanceOf(ReplyException.class);
    return ((ReplyException) failure).failureCode();
  }

  /**
   * Publishes a marker and waits for it: the service publishes before it replies, so once the
   * marker is in, anything the service published for an acknowledged measurement is in too.
   */
  private static void awaitPublishedMarker() {
    var marker = "marker-" + UUID.randomUUID();
    var received = new CompletableFuture<Void>();
    markers.put(marker, received);
    running.vertx().eventBus().publish(Addresses.MEASUREMENT_PUBLISHED,
        new JsonObject().put(Batch.MEASUREMENTS, new JsonArray().add(new JsonObject().put("id", marker))));
    await(Future.fromCompletionStage(received));
  }

  private static List<JsonObject> asked(List<JsonObject> messages, String id) {
    return messages.stream().filter(m -> id.equals(m.getString("id"))).toList();
  }

  private static List<String> pathIds(JsonObject measurement) {
    return measurement.getJsonArray("path").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject storedSource(String devEui, long fCnt) {
    var id = devEui + "-" + String.format("%08x", fCnt);
    var doc = es(HttpMethod.GET, "/" + PREFIX + "-acme/_doc/" + id, null);
    assertThat(doc.statusCode()).as("document " + id).isEqualTo(200);
    return doc.bodyAsJsonObject().getJsonObject("_source");
  }

  private static JsonObject termQuery(String field, Object value) {
    return new JsonObject().put("term", new JsonObject().put(field, value));
  }

  private static JsonObject measurementQuery(String devEui, String name, double above) {
    var nested = new JsonObject().put("nested", new JsonObject().put("path", "measurements")
        .put("query", new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray()
            .add(termQuery("measurements.name", name))
            .add(new JsonObject().put("range", new JsonObject().put("measurements.value", new JsonObject().put("gt", above))))))));
    return new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray().add(termQuery("devEui", devEui)).add(nested)));
  }

  private static long count(JsonObject query) {
    refresh();
    var response = es(HttpMethod.POST, "/" + PREFIX + "-*/_count", new JsonObject().put("query", query));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getLong("count");
  }

  private static JsonObject search(String index, JsonObject query) {
    refresh();
    var response = es(HttpMethod.POST, "/" + index + "/_search", new JsonObject().put("query", query));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonObject("hits");
  }

  private static void refresh() {
    assertThat(es(HttpMethod.POST, "/" + PREFIX + "-*/_refresh", null).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<Buffer> es(HttpMethod method, String path, JsonObject body) {
    var request = http.requestAbs(method, esUrl + path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static double metric(String name) {
    var text = await(http.get(running.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
    var matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(2)) : 0;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause().toString(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
