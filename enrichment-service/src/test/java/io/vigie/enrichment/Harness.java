package io.vigie.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.Batch;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.StoredBatch;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One enrichment service on its own Vert.x against the shared test Elasticsearch, with its own index prefix, and
 * stand-ins on its bus for the registry ({@code registry.device.context}, {@code registry.node.get},
 * {@code registry.jwks}) and the alert service ({@code measurement.stored}).
 *
 * <p>The stand-in registry knows tenant {@code acme}: {@code site-paris} (kitchen-1 → fridge-12, cellar) and
 * {@code site-lyon} (lyon-cold → fridge-lyon), and tenant {@code globex}.
 */
final class Harness implements AutoCloseable {
  static final List<PathElement> PARIS_FRIDGE = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"), new PathElement("kitchen-1", "room", "Kitchen"),
      new PathElement("fridge-12", "asset", "Fridge 12"));
  static final List<PathElement> PARIS_CELLAR = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"), new PathElement("cellar", "room", "Cellar"));
  static final List<PathElement> LYON_FRIDGE = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-lyon", "site", "Lyon"), new PathElement("lyon-cold", "room", "Cold room"),
      new PathElement("fridge-lyon", "asset", "Fridge L"));

  final String prefix;
  final String esUrl;
  final ServiceLauncher.Running running;
  final WebClient http;
  final TestTokens tokens;
  /** What the registry stand-in answers, by devEui; absent → 404. */
  final Map<String, DeviceContext> devices = new ConcurrentHashMap<>();
  /** Node attributes by node id (in the device contexts and the nodes the stand-in gives). */
  final Map<String, JsonObject> attributes = new ConcurrentHashMap<>();
  /** Requests on {@code measurement.stored} (one per batch), and the measurements they carried. */
  final AtomicInteger alertRequests = new AtomicInteger();
  final List<JsonObject> evaluated = new CopyOnWriteArrayList<>();

  private Harness(String prefix, String esUrl, ServiceLauncher.Running running) {
    this.prefix = prefix;
    this.esUrl = esUrl;
    this.running = running;
    this.http = WebClient.create(running.vertx());
    this.tokens = TestTokens.create(running.vertx()).serveJwks(running.vertx());
    var bus = running.vertx().eventBus();
    bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var device = devices.get(message.body().getString("devEui"));
      if (device == null) {
        message.fail(404, "unknown device");
      } else {
        // as the registry does: the device's context carries its node's attributes
        message.reply(device.toJson().put("nodeAttributes", attributes.getOrDefault(device.nodeId(), new JsonObject())));
      }
    });
    bus.<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, message -> {
      var node = node(message.body().getString("id"));
      var tenant = message.body().getString("tenant");
      if (node == null || (tenant != null && !tenant.equals(node.getString("tenant")))) {
        message.fail(404, "unknown node");
      } else {
        message.reply(node);
      }
    });
    bus.<Object>consumer(Addresses.MEASUREMENT_STORED, message -> {
      alertRequests.incrementAndGet();
      var measurements = StoredBatch.of(message.body()).documents();
      evaluated.addAll(measurements);
      message.reply(new JsonObject().put("evaluated", measurements.size()));
    });
  }

  static String newPrefix(String name) {
    return "vt-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Launches with the given Elasticsearch URL and index prefix; {@code elasticsearch} overrides are merged in. */
  static Harness start(String esUrl, String prefix, JsonObject elasticsearch) {
    var es = new JsonObject().put("url", esUrl).put("indexPrefix", prefix).mergeIn(elasticsearch, true);
    var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
        .put("bus", new JsonObject().put("requestTimeout", 10_000)).put("elasticsearch", es);
    var running = await(ServiceLauncher.launch(List.of(new EnrichmentService()), Map.of(), overrides));
    return new Harness(prefix, esUrl, running);
  }

  /** The nodes of the stand-in registry, in the bus form of {@code registry.node.get}. */
  private JsonObject node(String id) {
    for (var path : List.of(PARIS_FRIDGE, PARIS_CELLAR, LYON_FRIDGE)) {
      for (int i = 0; i < path.size(); i++) {
        if (path.get(i).id().equals(id)) {
          var element = path.get(i);
          return new JsonObject().put("id", id).put("tenant", "acme").put("kind", element.kind()).put("name", element.name())
              .put("parentId", i == 0 ? null : path.get(i - 1).id())
              .put("attributes", attributes.getOrDefault(id, new JsonObject()))
              .put("path", new JsonArray(path.subList(0, i + 1).stream().map(PathElement::toJson).toList()));
        }
      }
    }
    if ("globex".equals(id)) {
      return new JsonObject().put("id", id).put("tenant", "globex").put("kind", "tenant").put("name", "Globex")
          .put("attributes", new JsonObject()).put("path", new JsonArray().add(new PathElement("globex", "tenant", "Globex").toJson()));
    }
    return null;
  }

  DeviceContext device(String devEui, List<PathElement> path) {
    var device = new DeviceContext(devEui, "acme", "Probe " + devEui.substring(12), "lht65", path.get(path.size() - 1).id(),
        "ABP", new JsonObject().put("id", "lht65").put("name", "Dragino LHT65"), path);
    devices.put(devEui, device);
    return device;
  }

  /** A measurement as the decoder sends it (no tenant, device or path), heard by one gateway. */
  static JsonObject decoded(String devEui, long fCnt, Instant receivedAt, double temperature) {
    return new JsonObject().put("devEui", devEui).put("fCnt", fCnt).put("fPort", 2).put("receivedAt", receivedAt.toString())
        .put("source", "chirpstack-v4")
        .put("rx", new JsonArray().add(new JsonObject().put("gatewayId", "b827ebfffe000001").put("rssi", -97).put("snr", 7.5)))
        .put("decoded", new JsonObject().put("temperature", temperature))
        .put("measurements", new JsonArray().add(new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", temperature)));
  }

  /** A batch of one decoded uplink; its fate. */
  Future<JsonObject> send(JsonObject decoded) {
    return sendBatch(List.of(decoded)).map(fates -> fates.get(0));
  }

  /** One batch on {@code uplink.decoded}, as the decoder sends it; the fates, in order. */
  Future<List<JsonObject>> sendBatch(List<JsonObject> decoded) {
    return running.vertx().eventBus().<Object>request(Addresses.UPLINK_DECODED,
            new JsonObject().put(Batch.UPLINKS, new JsonArray(new ArrayList<>(decoded))))
        .map(reply -> FateBatch.of(reply.body()).results().stream().map(UplinkFate::toJson).toList());
  }

  /** The failure code of a request that must fail. */
  static int failureCode(Future<?> request) {
    var failure = await(request.<Throwable>transform(done -> Future.succeededFuture(done.cause())));
    assertThat(failure).as("the request should have failed").isInstanceOf(ReplyException.class);
    return ((ReplyException) failure).failureCode();
  }

  String token(String subject, String tenant, String... scopes) {
    return tokens.token(new VigiePrincipal(subject, tenant, Role.VIEWER, List.of(scopes)));
  }

  HttpResponse<Buffer> get(String path, String token) {
    var request = http.get(running.port(), "127.0.0.1", path);
    if (token != null) request.bearerTokenAuthentication(token);
    return await(request.send());
  }

  JsonObject source(String devEui, long fCnt) {
    var id = devEui + "-" + String.format("%08x", fCnt);
    var doc = es(HttpMethod.GET, "/" + prefix + "-acme/_doc/" + id, null);
    assertThat(doc.statusCode()).as("document " + id + ": " + doc.bodyAsString()).isEqualTo(200);
    return doc.bodyAsJsonObject().getJsonObject("_source");
  }

  void refresh() {
    var refreshed = es(HttpMethod.POST, "/" + prefix + "-*/_refresh", null);
    assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
  }

  long count(JsonObject query) {
    refresh();
    var response = es(HttpMethod.POST, "/" + prefix + "-*/_count", new JsonObject().put("query", query));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getLong("count");
  }

  List<String> indices() {
    var response = es(HttpMethod.GET, "/_cat/indices/" + prefix + "-*?format=json&h=index", null);
    var names = new ArrayList<String>();
    response.bodyAsJsonArray().forEach(row -> names.add(((JsonObject) row).getString("index")));
    return names;
  }

  HttpResponse<Buffer> es(HttpMethod method, String path, JsonObject body) {
    var request = http.requestAbs(method, esUrl + path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  static JsonObject term(String field, Object value) {
    return new JsonObject().put("term", new JsonObject().put(field, value));
  }

  double metric(String name) {
    var text = get("/metrics", null).bodyAsString();
    var matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(2)) : 0;
  }

  int readiness() {
    return get("/health/ready", null).statusCode();
  }

  @Override
  public void close() {
    await(running.stop());
  }

  static <T> T await(Future<T> future) {
    return await(future, 30);
  }

  static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause().toString(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
