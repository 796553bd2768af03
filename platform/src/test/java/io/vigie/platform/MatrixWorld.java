package io.vigie.platform;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data of the authorisation matrix, built once over the public API: tenant A ({@code default}) with two sibling
 * sites, Lyon and Paris, and tenant B ({@code mxb}) with Berlin; at each place a room, a device that sent a reading
 * above the threshold (so it has history and an open alert), a rule, a channel, a silence, a user and a partner
 * client; and the callers who try them.
 */
final class MatrixWorld {
  static final String TENANT_A = "default";
  static final String TENANT_B = "mxb";
  static final String PASSWORD = "matrix-password-long-enough";
  /** As {@link TestPlatforms#overrides} sets them for "matrix". */
  static final String ADMIN_PASSWORD = "matrix-admin-password", INGEST_TOKEN = "matrix-ingest-secret";

  /** Where an object lies; {@link #NONE} for operations that name none. */
  enum Position { LYON, PARIS, BERLIN, NONE }

  /** An object's position as one caller sees it. */
  enum Relation {
    INSIDE, OUTSIDE, OTHER_TENANT, NONE;

    boolean sees() {
      return this == INSIDE || this == NONE;
    }
  }

  /** The kinds of object an operation names. */
  enum Kind { NODE, SPARE_NODE, DEVICE, USER, CLIENT, TYPE, RULE, CHANNEL, SILENCE, ALERT, TENANT }

  /** Who tries: tenant, role, whether its scope is the tenant root (else Lyon), its token. */
  record Caller(String label, String tenant, String role, boolean root, String token) {
    boolean may(String right) {
      return switch (right) {
        case "manage" -> role.equals("admin") || role.equals("operator");
        case "admin" -> role.equals("admin");
        case "root-manage" -> root && (role.equals("admin") || role.equals("operator"));
        case "platform" -> root && role.equals("admin") && tenant.equals(TENANT_A);
        default -> throw new IllegalArgumentException(right);
      };
    }

    Relation relation(Position position) {
      return switch (position) {
        case NONE -> Relation.NONE;
        case BERLIN -> tenant.equals(TENANT_B) ? Relation.INSIDE : Relation.OTHER_TENANT;
        case LYON -> tenant.equals(TENANT_A) ? Relation.INSIDE : Relation.OTHER_TENANT;
        case PARIS -> !tenant.equals(TENANT_A) ? Relation.OTHER_TENANT : root ? Relation.INSIDE : Relation.OUTSIDE;
      };
    }
  }

  /** The shared objects of one place. */
  static final class Place {
    final Position position;
    final String tenant;
    final String site;
    final String room;
    final String type;
    final Map<Kind, String> objects = new EnumMap<>(Kind.class);
    /** Devices kept for the live test: silent until the registrations are made. */
    final String liveDevice;
    final Deque<String> alertPool = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** Every id created here: what must never show to a caller who does not see the place. */
    final Set<String> vocabulary = ConcurrentHashMap.newKeySet();

    Place(Position position, String tenant, String site, String euiPrefix) {
      this.position = position;
      this.tenant = tenant;
      this.site = site;
      this.room = site + "-room";
      this.type = tenant.equals(TENANT_A) ? "mxa-type" : "mxb-type";
      this.liveDevice = euiPrefix + "0000000000ff";
    }

    String get(Kind kind) {
      return objects.get(kind);
    }
  }

  final PlatformClient client;
  final Map<Position, Place> places = new EnumMap<>(Position.class);
  final List<Caller> callers = new ArrayList<>();
  final String rootToken;
  String tenantBToken;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger fCnt = new AtomicInteger();

  /** @param port the platform's; the world has its own client Vert.x (closed by {@code client.vertx.close()}) */
  MatrixWorld(int port) {
    this.client = new PlatformClient(io.vertx.core.Vertx.vertx(), port);
    this.rootToken = join(client.token("admin", ADMIN_PASSWORD));
    places.put(Position.LYON, new Place(Position.LYON, TENANT_A, "mxa-lyon", "a1a1"));
    places.put(Position.PARIS, new Place(Position.PARIS, TENANT_A, "mxa-paris", "a2a2"));
    places.put(Position.BERLIN, new Place(Position.BERLIN, TENANT_B, "mxb-berlin", "b1b1"));
  }

  static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Future<HttpResponse<Buffer>> call(HttpMethod method, String uri, String token, Object body) {
    var request = client.http.request(method, uri);
    if (token != null) request.bearerTokenAuthentication(token);
    if (body instanceof JsonObject json) return request.sendJsonObject(json);
    if (body instanceof JsonArray array) return request.sendBuffer(array.toBuffer());
    return request.send();
  }

  /** The call, which must succeed; its JSON body (or null). */
  JsonObject ok(HttpMethod method, String uri, String token, Object body) {
    var response = join(call(method, uri, token, body));
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + uri + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject();
  }

  String tokenOf(Place place) {
    return place.tenant.equals(TENANT_A) ? rootToken : tenantBToken;
  }

  String eui(String prefix) {
    return String.format("%s%012x", prefix, counter.incrementAndGet());
  }

  String next(String prefix) {
    return String.format("%s-%04d", prefix, counter.incrementAndGet());
  }

  /** Builds both tenants, each place's objects, raises the shared alerts, and logs every caller in. */
  void build() {
    ok(HttpMethod.POST, "/api/v1/tenants", rootToken, new JsonObject().put("id", TENANT_B).put("name", "Tenant B")
        .put("admin", new JsonObject().put("username", "mxb-admin").put("password", PASSWORD)));
    tenantBToken = join(client.token("mxb-admin", PASSWORD));
    for (var tenantToken : List.of(rootToken, tenantBToken)) {
      var tenant = tenantToken.equals(rootToken) ? TENANT_A : TENANT_B;
      ok(HttpMethod.PUT, "/api/v1/device-types/mx-probe", tenantToken, new JsonObject().put("name", "LPP probe")
          .put("codec", new JsonObject().put("kind", "cayenne-lpp")));
      ok(HttpMethod.PUT, "/api/v1/device-types/" + (tenant.equals(TENANT_A) ? "mxa-type" : "mxb-type"), tenantToken, jsType());
      // every reading above 8 °C opens an alert at once
      ok(HttpMethod.PUT, "/api/v1/alert-rules/" + tenant + "-hot", tenantToken, new JsonObject().put("nodeId", tenant)
          .put("kind", "above").put("measurement", "temperature").put("threshold", 8.0).put("severity", "major"));
    }
    for (var place : places.values()) {
      var token = tokenOf(place);
      var parent = place.tenant;
      node(token, place.site, parent, "site");
      node(token, place.room, place.site, "room");
      node(token, place.site + "-spare", place.site, "asset");
      place.objects.put(Kind.NODE, place.room);
      place.objects.put(Kind.SPARE_NODE, place.site + "-spare");
      place.objects.put(Kind.TYPE, place.type);
      place.objects.put(Kind.DEVICE, device(place));
      device(token, place.liveDevice, place.room);
      place.objects.put(Kind.USER, user(place));
      place.objects.put(Kind.CLIENT, client(place));
      place.objects.put(Kind.RULE, rule(place));
      place.objects.put(Kind.CHANNEL, channel(place));
      place.objects.put(Kind.SILENCE, silence(place));
      place.vocabulary.addAll(List.of(place.site, place.room, place.site + "-spare", place.liveDevice));
      place.vocabulary.addAll(place.objects.values());
      place.vocabulary.remove(place.type);   // device-type ids are per tenant: a PUT of the other's creates one's own
    }

    var lyon = places.get(Position.LYON);
    callers.add(new Caller("Lyon admin", TENANT_A, "admin", false, userToken("mxa-lyon-admin", "admin")));
    callers.add(new Caller("Lyon operator", TENANT_A, "operator", false, userToken("mxa-lyon-operator", "operator")));
    callers.add(new Caller("Lyon viewer", TENANT_A, "viewer", false, userToken("mxa-lyon-viewer", "viewer")));
    callers.add(new Caller("tenant A root admin", TENANT_A, "admin", true, rootToken));
    var partner = ok(HttpMethod.POST, "/api/v1/clients", rootToken, new JsonObject().put("name", "Lyon partner")
        .put("scopes", new JsonArray().add(lyon.site)));
    var partnerToken = join(client.http.post("/api/v1/auth/token").sendJsonObject(new JsonObject()
        .put("grant_type", "client_credentials").put("client_id", partner.getString("client_id"))
        .put("client_secret", partner.getString("client_secret")))).bodyAsJsonObject().getString("access_token");
    callers.add(new Caller("Lyon partner client", TENANT_A, "partner", false, partnerToken));
    callers.add(new Caller("tenant B admin", TENANT_B, "admin", true, tenantBToken));
  }

  static JsonObject jsType() {
    var example = new JsonObject().put("input", new JsonObject().put("fPort", 1).put("bytes", new JsonArray().add(5)))
        .put("output", new JsonObject().put("data", new JsonObject().put("temperature", 5)));
    return new JsonObject().put("name", "JS probe").put("codec", new JsonObject().put("kind", "javascript")
        .put("script", "function decodeUplink(input) { return { data: { temperature: input.bytes[0] } }; }")
        .put("examples", new JsonArray().add(example)));
  }

  private String userToken(String username, String role) {
    ok(HttpMethod.POST, "/api/v1/users", rootToken, new JsonObject().put("username", username).put("password", PASSWORD)
        .put("role", role).put("scopes", new JsonArray().add(places.get(Position.LYON).site)));
    return join(client.token(username, PASSWORD));
  }

  void node(String token, String id, String parent, String kind) {
    ok(HttpMethod.POST, "/api/v1/nodes", token, new JsonObject().put("id", id).put("parentId", parent).put("kind", kind)
        .put("name", "Name of " + id));
  }

  private void device(String token, String devEui, String nodeId) {
    ok(HttpMethod.POST, "/api/v1/devices", token, new JsonObject().put("devEui", devEui).put("name", "Probe " + devEui)
        .put("nodeId", nodeId).put("type", "mx-probe").put("activation", new JsonObject().put("mode", "network-decrypted")));
  }

  // ---- objects of a place: each call makes a new one (the shared ones at build time, fresh ones for changes that succeed)

  String device(Place place) {
    var devEui = eui(place.liveDevice.substring(0, 4));
    device(tokenOf(place), devEui, place.room);
    return remember(place, devEui);
  }

  String user(Place place) {
    var username = next(place.site + "-user");
    ok(HttpMethod.POST, "/api/v1/users", tokenOf(place), new JsonObject().put("username", username).put("password", PASSWORD)
        .put("role", "viewer").put("scopes", new JsonArray().add(place.room)));
    return remember(place, username);
  }

  String client(Place place) {
    return remember(place, ok(HttpMethod.POST, "/api/v1/clients", tokenOf(place), new JsonObject()
        .put("name", next(place.site + "-client")).put("scopes", new JsonArray().add(place.room))).getString("client_id"));
  }

  static JsonObject ruleBody(Place place) {
    return new JsonObject().put("nodeId", place.room).put("kind", "above").put("measurement", "temperature")
        .put("threshold", 30.0).put("severity", "minor");
  }

  String rule(Place place) {
    var id = next(place.site + "-rule");
    ok(HttpMethod.PUT, "/api/v1/alert-rules/" + id, tokenOf(place), ruleBody(place));
    return remember(place, id);
  }

  JsonObject channelBody(Place place) {
    return new JsonObject().put("nodeId", place.room).put("kind", "webhook").put("minSeverity", "critical")
        .put("url", "http://127.0.0.1:" + client.port + "/health/live").put("secret", "matrix-webhook-secret-0123456789");
  }

  String channel(Place place) {
    var id = next(place.site + "-channel");
    ok(HttpMethod.PUT, "/api/v1/notification-channels/" + id, tokenOf(place), channelBody(place));
    return remember(place, id);
  }

  static JsonObject silenceBody(Place place) {
    return new JsonObject().put("nodeId", place.room).put("until", Instant.now().plus(Duration.ofDays(1)).toString())
        .put("comment", "matrix");
  }

  String silence(Place place) {
    return remember(place, ok(HttpMethod.POST, "/api/v1/silences", tokenOf(place), silenceBody(place)).getString("id"));
  }

  String node(Place place, String parent) {
    var id = next(place.site + "-node");
    node(tokenOf(place), id, parent, "asset");
    return remember(place, id);
  }

  String tenant() {
    var id = next("mxt");
    ok(HttpMethod.POST, "/api/v1/tenants", rootToken, new JsonObject().put("id", id).put("name", "Throwaway " + id));
    return id;
  }

  /** A new object of {@code kind} at the place, for a change expected to succeed (a delete, an acknowledgement…). */
  String fresh(Kind kind, Place place) {
    return switch (kind) {
      case NODE -> node(place, place.room);
      case SPARE_NODE -> node(place, place.site);
      case DEVICE -> device(place);
      case USER -> user(place);
      case CLIENT -> client(place);
      case RULE -> rule(place);
      case CHANNEL -> channel(place);
      case SILENCE -> silence(place);
      case ALERT -> place.alertPool.pop();
      case TENANT -> tenant();
      case TYPE -> place.type;
    };
  }

  /**
   * Opens the shared alert of each place (its device's reading above the threshold) and {@code extra} more alerts at
   * each place (one new device each), for the acknowledgements that succeed.
   */
  void raiseAlerts(Map<Position, Integer> extra) {
    var devices = new java.util.LinkedHashMap<String, Place>();
    for (var place : places.values()) {
      devices.put(place.get(Kind.DEVICE), place);
      for (int i = 0; i < extra.getOrDefault(place.position, 0); i++) devices.put(device(place), place);
    }
    join(Future.all(devices.keySet().stream().map(this::uplink).toList()));
    var alerts = new java.util.HashMap<String, String>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (var token : List.of(rootToken, tenantBToken)) {
        var open = join(call(HttpMethod.GET, "/api/v1/alerts?status=active", token, null)).bodyAsJsonObject()
            .getJsonArray("alerts");
        for (var alert : open) alerts.put(((JsonObject) alert).getString("devEui"), ((JsonObject) alert).getString("id"));
      }
      return alerts.keySet().containsAll(devices.keySet());
    });
    devices.forEach((devEui, place) -> {
      var id = remember(place, alerts.get(devEui));
      if (devEui.equals(place.get(Kind.DEVICE))) place.objects.put(Kind.ALERT, id);
      else place.alertPool.add(id);
    });
  }

  /** Waits until the audit trail shows the changes made at every place (it is indexed a moment after them). */
  void awaitAudit() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> places.values().stream()
        .allMatch(place -> {
          var response = join(call(HttpMethod.GET, "/api/v1/audit?kind=silence&nodeId=" + place.room, tokenOf(place), null));
          return response.statusCode() == 200 && !response.bodyAsJsonObject().getJsonArray("entries").isEmpty();
        }));
  }

  /** A ChirpStack uplink of 23.5 °C (above the tenants' 8 °C rule). */
  Future<Void> uplink(String devEui) {
    var body = PlatformClient.fixture("chirpstack-v4.uplink.json");
    body.getJsonObject("deviceInfo").put("devEui", devEui);
    body.put("fCnt", fCnt.incrementAndGet()).put("deduplicationId", java.util.UUID.randomUUID().toString());
    return client.uplink(INGEST_TOKEN, body).map(response -> {
      if (response.statusCode() != 202) throw new AssertionError("uplink " + devEui + ": " + response.statusCode());
      return null;
    });
  }

  private static String remember(Place place, String id) {
    place.vocabulary.add(id);
    return id;
  }
}
