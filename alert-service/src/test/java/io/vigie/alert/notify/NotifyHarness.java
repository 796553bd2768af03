package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.ApiCalls;
import io.vigie.alert.AlertService;
import io.vigie.alert.notify.store.TransitionStream;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import io.vigie.testing.Infra;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The alert service started for a notification test class ({@code @RegisterExtension}) on a real Redis (one
 * database per test class), with a stand-in registry on its bus (nodes and devices of the {@link Fleet}s the tests
 * make), tokens it trusts and a real webhook receiver; and the alert core's side of the contract: transitions XADDed
 * to {@code vigie:alerts:transitions}.
 */
final class NotifyHarness implements BeforeAllCallback, AfterAllCallback, ApiCalls {
  private static final Map<String, List<PathElement>> NODES = new ConcurrentHashMap<>();
  private static final Map<String, DeviceContext> DEVICES = new ConcurrentHashMap<>();

  /** Work to do before the instances start, e.g. state a dead instance left behind. */
  interface BeforeLaunch {
    void run(NotifyHarness harness) throws Exception;
  }

  private final int database;
  private final int count;
  private final JsonObject settings;
  private BeforeLaunch beforeLaunch = harness -> { };
  final List<ServiceLauncher.Running> instances = new ArrayList<>();
  /** The test's own Vert.x: the webhook receiver, the HTTP client, the Redis client. */
  Vertx vertx;
  String redisUrl;
  Redis redis;
  WebhookReceiver receiver;
  TestTokens tokens;
  WebClient http;

  @Override
  public WebClient http() {
    return http;
  }

  /**
   * One tenant: root, site Paris with a kitchen (a probe), site Lyon (a probe).
   */
  record Fleet(String tenant, String paris, String kitchen, String lyon, String kitchenProbe, String lyonProbe) {
    List<String> kitchenPath() {
      return List.of(tenant, paris, kitchen);
    }

    List<String> lyonPath() {
      return List.of(tenant, lyon);
    }
  }

  private NotifyHarness(int database, int count, JsonObject settings) {
    this.database = database;
    this.count = count;
    this.settings = settings;
  }

  /** {@code count} instances of the service on the Redis database {@code database} (one per test class), sharing the stream. */
  static NotifyHarness on(int database, int count, JsonObject settings) {
    return new NotifyHarness(database, count, settings);
  }

  /** The settings the instances start with (over the test defaults); may still change before the launch. */
  JsonObject settings() {
    return settings;
  }

  NotifyHarness beforeLaunch(BeforeLaunch work) {
    this.beforeLaunch = work;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    redisUrl = Infra.redis().url() + "/" + database;
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, redisUrl);
    receiver = new WebhookReceiver(vertx);
    beforeLaunch.run(this);
    for (int i = 0; i < count; i++) {
      var overrides = new JsonObject().put("http", new JsonObject().put("port", 0))
          .put("redis", new JsonObject().put("url", redisUrl))
          .put("bus", new JsonObject().put("requestTimeout", 3000))
          .put("notify", new JsonObject().put("backoffMs", 50).put("timeoutMs", 3000)
              .put("webhookAllowedNetworks", "127.0.0.0/8")) // the receiver is on the loopback
          .mergeIn(settings.copy(), true);
      var running = ServiceLauncher.launch(List.of(new AlertService()), Map.of(), overrides).await(60, SECONDS);
      serveRegistry(running.vertx());
      instances.add(running);
    }
    var first = instances.get(0);
    tokens = TestTokens.create(first.vertx()).serveJwks(first.vertx());
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(first.port()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (var running : instances) running.stop().await(30, SECONDS);
    if (vertx != null) vertx.close().await(30, SECONDS);
  }

  static Fleet fleet() {
    var tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    var fleet = new Fleet(tenant, tenant + "-paris", tenant + "-kitchen", tenant + "-lyon", devEui(), devEui());
    var root = new PathElement(tenant, "tenant", "ACME");
    var paris = new PathElement(fleet.paris(), "site", "Paris");
    var kitchen = new PathElement(fleet.kitchen(), "room", "Cuisine");
    var lyon = new PathElement(fleet.lyon(), "site", "Lyon");
    NODES.put(tenant, List.of(root));
    NODES.put(fleet.paris(), List.of(root, paris));
    NODES.put(fleet.kitchen(), List.of(root, paris, kitchen));
    NODES.put(fleet.lyon(), List.of(root, lyon));
    DEVICES.put(fleet.kitchenProbe(), new DeviceContext(fleet.kitchenProbe(), tenant, "Chambre froide 1", "lht65",
        fleet.kitchen(), "network-decrypted", null, NODES.get(fleet.kitchen())));
    DEVICES.put(fleet.lyonProbe(), new DeviceContext(fleet.lyonProbe(), tenant, "Vitrine", "lht65",
        fleet.lyon(), "network-decrypted", null, NODES.get(fleet.lyon())));
    return fleet;
  }

  String token(Fleet fleet, Role role, String... scopes) {
    return tokens.token(new VigiePrincipal(role.wire() + "@" + fleet.tenant(), fleet.tenant(), role, List.of(scopes)));
  }

  String admin(Fleet fleet) {
    return token(fleet, Role.ADMIN, fleet.tenant());
  }

  /** The alert core's side: one transition of an alert of the kitchen probe (or Lyon's), as it XADDs it. */
  static JsonObject transition(Fleet fleet, boolean kitchen, String alertId, String transition, String severity) {
    var path = kitchen ? fleet.kitchenPath() : fleet.lyonPath();
    var now = Instant.now().toString();
    var alert = new JsonObject().put("id", alertId).put("devEui", kitchen ? fleet.kitchenProbe() : fleet.lyonProbe())
        .put("ruleId", "cold-chain").put("kind", "above").put("severity", severity)
        .put("status", transition.equals("cleared") ? "cleared" : transition.equals("acknowledged") ? "acknowledged" : "active")
        .put("startedAt", now).put("lastValue", 9.5).put("path", new JsonArray(path))
        .put("nodeId", path.get(path.size() - 1)).put("tenantId", fleet.tenant()).put("ruleName", "Chaîne du froid")
        .put("measurement", "temperature").put("transition", transition).put("at", now).put("by", "system");
    if (transition.equals("cleared")) alert.put("clearedAt", now).put("clearedBy", "system");
    return alert;
  }

  /** XADDs a transition; its stream entry id. */
  String publish(JsonObject transition) throws Exception {
    return redis.send(Request.cmd(Command.XADD).arg(TransitionStream.KEY).arg("*").arg("alert").arg(transition.encode()))
        .await(10, SECONDS).toString();
  }

  /** Entries taken but not acknowledged by the notify group. */
  long pending() throws Exception {
    var summary = redis.send(Request.cmd(Command.XPENDING).arg(TransitionStream.KEY).arg(TransitionStream.GROUP))
        .await(10, SECONDS);
    return summary.get(0).toLong();
  }

  /** The last entry the notify group has handed out. */
  String lastDelivered() throws Exception {
    for (var group : redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(TransitionStream.KEY)).await(10, SECONDS)) {
      if (group.get("name") != null && TransitionStream.GROUP.equals(group.get("name").toString())) {
        return group.get("last-delivered-id").toString();
      }
    }
    throw new AssertionError("no notify group");
  }

  /** The deliveries of a channel, newest first. */
  List<JsonObject> deliveries(Fleet fleet, String channelId) throws Exception {
    var response = get("/api/v1/notification-channels/" + channelId + "/deliveries", admin(fleet));
    if (response.statusCode() != 200) throw new AssertionError(response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("deliveries").stream().map(JsonObject.class::cast).toList();
  }

  private static void serveRegistry(Vertx vertx) {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var device = DEVICES.get(message.body().getString("devEui"));
      if (device == null) message.fail(404, "no device " + message.body().getString("devEui"));
      else message.reply(device.toJson());
    });
    bus.<JsonObject>consumer(Addresses.REGISTRY_NODE_GET, message -> {
      var id = message.body().getString("id");
      var path = NODES.get(id);
      var tenant = message.body().getString("tenant");
      if (path == null || tenant != null && !tenant.equals(path.get(0).id())) {
        message.fail(404, "no node " + id);
        return;
      }
      var node = path.get(path.size() - 1);
      message.reply(new JsonObject().put("id", id).put("tenant", path.get(0).id()).put("kind", node.kind())
          .put("name", node.name()).put("path", new JsonArray(path.stream().map(PathElement::toJson).toList())));
    });
  }

  private static String devEui() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }
}
