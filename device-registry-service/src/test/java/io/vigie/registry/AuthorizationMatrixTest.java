package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registry endpoint on nodes, devices, users, clients, device types and tenants, tried by users scoped to
 * one site, to one room (viewer, operator and admin each) and by the admin of another tenant, on objects inside
 * and outside their scopes. In scope, what the role allows works and the rest answers 403; out of scope, every
 * attempt answers exactly as for an object that does not exist (404, or 400 for a reference), and no list shows
 * anything from outside.
 */
@RealRedis
@DisplayName("Authorisation matrix")
class AuthorizationMatrixTest {
  private static final String GHOST_NODE = "mx-ghost";
  private static final String GHOST_EUI = "ffffffffffffff01";
  private static final String GHOST_USER = "mx-ghost-user";
  private static final String GHOST_CLIENT = "vc_AAAAAAAAAAAAAAAAAAAA";
  private static final String PASSWORD = LeakWatch.remember("long-enough-password");

  private static RegistryFixture registry;
  private static String platform;
  private static String acmeOwner;
  private static int counter;

  /** A place in the trees where targets are created. */
  private record Location(String id, String label, boolean acme) {}

  /** Who tries: the locations it sees, and its role. */
  private record Caller(String label, String role, Set<String> sees, String token) {}

  /** Fresh objects at one location for one caller. */
  private record Targets(Location location, String node, String deleteNode, String moveNode, String moveTarget,
                         String device, String deleteDevice, String user, String client, String newEui,
                         String importEui) {}

  private static final Location KITCHEN = new Location("mx-kitchen", "the Paris kitchen", false);
  private static final Location BUILDING = new Location("mx-paris-b", "a Paris building", false);
  private static final Location LYON = new Location("mx-lyon-room", "a Lyon room", false);
  private static final Location ACME = new Location("mx-acme-site", "another tenant's site", true);
  private static final List<Location> LOCATIONS = List.of(KITCHEN, BUILDING, LYON, ACME);

  private static final List<Caller> CALLERS = new ArrayList<>();
  private static final Map<String, Targets> TARGETS = new LinkedHashMap<>();
  /** Everything created at each location: what must never show outside. */
  private static final Map<String, Set<String>> VOCABULARY = new LinkedHashMap<>();

  @BeforeAll
  static void start(EmbeddedRedis redis) {
    registry = RegistryFixture.start(redis, 14);
    platform = registry.adminToken();
    registry.deviceType(platform, "probe");
    registry.deviceType(platform, "default-only-type");
    registry.node(platform, "mx-paris", "default", "site", "Paris-Secret-P");
    registry.node(platform, "mx-paris-b", "mx-paris", "building", "Building-Secret-B");
    registry.node(platform, "mx-kitchen", "mx-paris-b", "room", "Kitchen-Secret-K");
    registry.node(platform, "mx-lyon", "default", "site", "Lyon-Secret-L");
    registry.node(platform, "mx-lyon-room", "mx-lyon", "room", "Lyon-Room-Secret-R");
    acmeOwner = registry.tenant(platform, "mx-acme", "Acme-Secret-T");
    registry.deviceType(acmeOwner, "probe");
    registry.node(acmeOwner, "mx-acme-site", "mx-acme", "site", "Acme-Secret-A");
    VOCABULARY.put(KITCHEN.id(), new HashSet<>(Set.of("mx-kitchen", "Kitchen-Secret-K")));
    VOCABULARY.put(BUILDING.id(), new HashSet<>(Set.of("mx-paris-b", "Building-Secret-B")));
    VOCABULARY.put(LYON.id(), new HashSet<>(Set.of("mx-lyon", "Lyon-Secret-L", "mx-lyon-room", "Lyon-Room-Secret-R")));
    VOCABULARY.put(ACME.id(), new HashSet<>(Set.of("mx-acme-site", "Acme-Secret-A", "Acme-Secret-T", "mx-acme-admin")));

    for (var role : List.of("viewer", "operator", "admin")) {
      CALLERS.add(new Caller("site " + role, role, Set.of(KITCHEN.id(), BUILDING.id()),
          registry.user(platform, "mx-site-" + role, role, "mx-paris")));
      CALLERS.add(new Caller("room " + role, role, Set.of(KITCHEN.id()),
          registry.user(platform, "mx-room-" + role, role, "mx-kitchen")));
    }
    CALLERS.add(new Caller("other tenant's admin", "admin", Set.of(ACME.id()), acmeOwner));

    for (var caller : CALLERS) {
      for (var location : LOCATIONS) TARGETS.put(caller.label() + "@" + location.id(), targets(caller, location));
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Fixed width, so that no id is a prefix of another (the leak checks search substrings). */
  private static String next(String prefix) {
    return String.format("%s%04d", prefix, ++counter);
  }

  private static String nextEui() {
    return String.format("b%015x", ++counter);
  }

  private static Targets targets(Caller caller, Location location) {
    var owner = location.acme() ? acmeOwner : platform;
    var words = VOCABULARY.get(location.id());
    var client = registry.post("/api/v1/clients", owner, new JsonObject().put("name", next("Client-of-"))
        .put("scopes", new JsonArray().add(location.id()))).bodyAsJsonObject();
    LeakWatch.remember(client.getString("client_secret"));
    var t = new Targets(location, next("mx-n-"), next("mx-del-"), next("mx-mv-"), next("mx-to-"), nextEui(), nextEui(),
        next("mx-u-"), client.getString("client_id"), nextEui(), nextEui());
    words.addAll(List.of(t.client(), client.getString("name")));
    for (var node : List.of(t.node(), t.deleteNode(), t.moveNode(), t.moveTarget())) {
      registry.node(owner, node, location.id(), "asset", "Name-of-" + node);
      words.addAll(List.of(node, "Name-of-" + node));
    }
    registry.node(owner, t.node() + "-child", t.node(), "asset", "Name-of-" + t.node() + "-child");
    words.addAll(List.of(t.node() + "-child", "Name-of-" + t.node() + "-child"));
    for (var eui : List.of(t.device(), t.deleteDevice())) {
      registry.device(owner, eui, location.id(), "probe");
      words.add(eui);
    }
    registry.user(owner, t.user(), "viewer", location.id());
    words.add(t.user());
    return t;
  }

  private static boolean manages(Caller caller) {
    return !caller.role().equals("viewer");
  }

  private static boolean administers(Caller caller) {
    return caller.role().equals("admin");
  }

  /** One attempt: the request, the status expected, and the same request on an object that does not exist. */
  private record Attempt(String label, Function<String, HttpResponse<Buffer>> call, String real, String ghost, int expected) {}

  @TestFactory
  @DisplayName("each caller on each endpoint, in and out of its scopes")
  Stream<DynamicNode> matrix() {
    return CALLERS.stream().map(caller -> DynamicContainer.dynamicContainer(caller.label(), Stream.concat(
        LOCATIONS.stream().map(location -> DynamicContainer.dynamicContainer(
            "at " + location.label() + (caller.sees().contains(location.id()) ? " (in scope)" : " (out of scope)"),
            attempts(caller, TARGETS.get(caller.label() + "@" + location.id())).stream().map(attempt ->
                DynamicTest.dynamicTest(attempt.label() + " → " + attempt.expected(), () -> run(caller, attempt))))),
        Stream.of(DynamicTest.dynamicTest("tenant-wide endpoints", () -> tenantWide(caller)),
            DynamicTest.dynamicTest("lists show nothing from outside", () -> lists(caller))))));
  }

  private static void run(Caller caller, Attempt attempt) {
    var response = attempt.call().apply(attempt.real());
    var body = response.bodyAsString() == null ? "" : response.bodyAsString();
    assertThat(response.statusCode()).as("%s: %s %s", caller.label(), attempt.label(), response.bodyAsString())
        .isEqualTo(attempt.expected());
    if (attempt.ghost() != null) {
      // out of scope: word for word the answer for something that does not exist
      var ghost = attempt.call().apply(attempt.ghost());
      assertThat(body.replace(attempt.real(), attempt.ghost()))
          .as("%s: %s answers like a missing object", caller.label(), attempt.label()).isEqualTo(ghost.bodyAsString());
    }
    assertNoLeak(caller, body.replace(attempt.real(), ""));
  }

  private static void assertNoLeak(Caller caller, String body) {
    for (var location : LOCATIONS) {
      if (caller.sees().contains(location.id())) continue;
      for (var word : VOCABULARY.get(location.id())) {
        assertThat(body).as("%s sees nothing of %s", caller.label(), location.label()).doesNotContain(word);
      }
    }
  }

  private static List<Attempt> attempts(Caller caller, Targets t) {
    var loc = t.location().id();
    var sees = caller.sees().contains(loc);
    var token = caller.token();
    var out = new ArrayList<Attempt>();
    // reads of an object named in the URL: 404 outside
    int read = sees ? 200 : 404;
    out.add(attempt(sees, "GET /nodes/{id}", id -> registry.get("/api/v1/nodes/" + id, token), t.node(), GHOST_NODE, read));
    out.add(attempt(sees, "GET /nodes/{id}/children", id -> registry.get("/api/v1/nodes/" + id + "/children", token), t.node(), GHOST_NODE, read));
    out.add(attempt(sees, "GET /nodes/{id}/tree", id -> registry.get("/api/v1/nodes/" + id + "/tree", token), t.node(), GHOST_NODE, read));
    out.add(attempt(sees, "GET /devices?nodeId&recursive", id -> registry.get("/api/v1/devices?recursive=true&nodeId=" + id, token),
        loc, GHOST_NODE, read));
    out.add(attempt(sees, "GET /devices/{devEui}", id -> registry.get("/api/v1/devices/" + id, token), t.device(), GHOST_EUI, read));
    // writes on an object named in the URL: 404 outside, 403 when the role may not
    out.add(attempt(sees, "PATCH /nodes/{id}", id -> registry.patch("/api/v1/nodes/" + id, token, new JsonObject().put("name", "Renamed")),
        t.node(), GHOST_NODE, !sees ? 404 : administers(caller) ? 200 : 403));
    out.add(attempt(sees, "POST /nodes/{id}/move", id -> registry.post("/api/v1/nodes/" + id + "/move", token,
        new JsonObject().put("parentId", t.moveTarget())), t.moveNode(), GHOST_NODE, !sees ? 404 : administers(caller) ? 200 : 403));
    out.add(attempt(sees, "DELETE /nodes/{id}", id -> registry.delete("/api/v1/nodes/" + id, token),
        t.deleteNode(), GHOST_NODE, !sees ? 404 : administers(caller) ? 204 : 403));
    out.add(attempt(sees, "PATCH /devices/{devEui}", id -> registry.patch("/api/v1/devices/" + id, token,
        new JsonObject().put("name", "Renamed")), t.device(), GHOST_EUI, !sees ? 404 : manages(caller) ? 200 : 403));
    out.add(attempt(sees, "DELETE /devices/{devEui}", id -> registry.delete("/api/v1/devices/" + id, token),
        t.deleteDevice(), GHOST_EUI, !sees ? 404 : manages(caller) ? 204 : 403));
    // writes referring to a node: 400 outside, like a reference to nothing
    out.add(attempt(sees, "POST /nodes under it", id -> registry.post("/api/v1/nodes", token, new JsonObject().put("parentId", id)
        .put("kind", "asset").put("name", "New")), loc, GHOST_NODE, !sees ? 400 : administers(caller) ? 201 : 403));
    out.add(attempt(sees, "POST /devices on it", id -> registry.post("/api/v1/devices", token,
        DeviceApiTest.clear(t.newEui(), id).put("type", "probe")), loc, GHOST_NODE, !sees ? 400 : manages(caller) ? 201 : 403));
    out.add(attempt(sees, "PATCH /devices/{devEui} moving it there", id -> registry.patch("/api/v1/devices/" + ownDevice(caller),
        token, new JsonObject().put("nodeId", id)), loc, GHOST_NODE, !manages(caller) ? 403 : sees ? 200 : 400));
    out.add(attempt(sees, "POST /nodes/{id}/move of an own node under it", id -> registry.post("/api/v1/nodes/"
        + ownNode(caller) + "/move", token, new JsonObject().put("parentId", id)), loc, GHOST_NODE,
        !administers(caller) ? 403 : sees ? 200 : 400));
    out.add(attempt(sees, "POST /devices/import a row on it", id -> registry.post("/api/v1/devices/import", token, "application/json",
        new JsonArray().add(DeviceApiTest.clear(t.importEui(), id).put("type", "probe")).encode()), loc, GHOST_NODE,
        manages(caller) ? 200 : 403));
    // users and clients: an admin covering them sees them; anyone else gets 404
    int user = sees && administers(caller) ? 200 : 404;
    out.add(attempt(sees && administers(caller), "GET /users/{username}", id -> registry.get("/api/v1/users/" + id, token),
        t.user(), GHOST_USER, user));
    out.add(attempt(sees && administers(caller), "PATCH /users/{username}", id -> registry.patch("/api/v1/users/" + id, token,
        new JsonObject().put("role", "partner")), t.user(), GHOST_USER, user));
    out.add(attempt(sees && administers(caller), "DELETE /users/{username}", id -> registry.delete("/api/v1/users/" + id, token),
        t.user(), GHOST_USER, sees && administers(caller) ? 204 : 404));
    out.add(attempt(sees && administers(caller), "GET /clients/{clientId}", id -> registry.get("/api/v1/clients/" + id, token),
        t.client(), GHOST_CLIENT, user));
    out.add(attempt(sees && administers(caller), "DELETE /clients/{clientId}", id -> registry.delete("/api/v1/clients/" + id, token),
        t.client(), GHOST_CLIENT, !administers(caller) ? 403 : sees ? 204 : 404));
    out.add(attempt(sees || !administers(caller), "POST /users scoped to it", id -> registry.post("/api/v1/users", token,
        new JsonObject().put("username", next("mx-new-user-")).put("password", PASSWORD).put("role", "viewer")
            .put("scopes", new JsonArray().add(id))), loc, GHOST_NODE, !administers(caller) ? 403 : sees ? 201 : 400));
    out.add(attempt(sees || !administers(caller), "POST /clients scoped to it", id -> registry.post("/api/v1/clients", token,
        new JsonObject().put("name", "Client").put("scopes", new JsonArray().add(id))), loc, GHOST_NODE,
        !administers(caller) ? 403 : sees ? 201 : 400));
    return out;
  }

  /** An attempt; when {@code inScope} is false it must also answer like the same attempt on {@code ghost}. */
  private static Attempt attempt(boolean inScope, String label, Function<String, HttpResponse<Buffer>> call, String real,
                                 String ghost, int expected) {
    return new Attempt(label, call, real, inScope ? null : ghost, expected);
  }

  /** A device in each caller's own scope, to move around. */
  private static String ownDevice(Caller caller) {
    return TARGETS.get(caller.label() + "@" + home(caller).id()).device();
  }

  /** A node in each caller's own scope, to move around. */
  private static String ownNode(Caller caller) {
    return TARGETS.get(caller.label() + "@" + home(caller).id()).node() + "-child";
  }

  private static Location home(Caller caller) {
    return caller.sees().contains(KITCHEN.id()) ? KITCHEN : ACME;
  }

  private static void tenantWide(Caller caller) {
    var token = caller.token();
    for (var response : List.of(
        registry.post("/api/v1/tenants", token, new JsonObject().put("id", "mx-sneaky").put("name", "S")),
        registry.get("/api/v1/tenants", token),
        registry.delete("/api/v1/tenants/mx-acme", token),
        registry.delete("/api/v1/tenants/default", token))) {
      assertThat(response.statusCode()).as(caller.label()).isEqualTo(403);
      assertNoLeak(caller, String.valueOf(response.bodyAsString()));
    }
    // device types are the tenant's: readable by all of it, written only from the tenant root
    assertThat(registry.get("/api/v1/device-types/probe", token).statusCode()).isEqualTo(200);
    var otherTenantType = registry.get("/api/v1/device-types/default-only-type", token);
    assertThat(otherTenantType.statusCode()).isEqualTo(caller.sees().contains(ACME.id()) ? 404 : 200);
    var put = registry.put("/api/v1/device-types/mx-new-type", token, DeviceApiTest.lpp("New"));
    assertThat(put.statusCode()).as(caller.label()).isEqualTo(caller.sees().contains(ACME.id()) ? 201 : 403);
  }

  private static void lists(Caller caller) {
    var token = caller.token();
    var bodies = new ArrayList<String>();
    bodies.add(registry.get("/api/v1/devices", token).bodyAsString());
    bodies.add(registry.get("/api/v1/users", token).bodyAsString());
    bodies.add(registry.get("/api/v1/clients", token).bodyAsString());
    bodies.add(registry.get("/api/v1/device-types", token).bodyAsString());
    var scope = caller.sees().contains(ACME.id()) ? "mx-acme" : caller.sees().contains(BUILDING.id()) ? "mx-paris" : "mx-kitchen";
    var tree = registry.get("/api/v1/nodes/" + scope + "/tree", token);
    assertThat(tree.statusCode()).isEqualTo(200);
    bodies.add(tree.bodyAsString());
    bodies.forEach(body -> assertNoLeak(caller, body));
    // and what is in scope does show
    var visibleDevices = bodies.get(0);
    for (var location : LOCATIONS) {
      if (caller.sees().contains(location.id())) {
        assertThat(visibleDevices).contains(TARGETS.get(caller.label() + "@" + location.id()).device());
        assertThat(tree.bodyAsString()).contains(TARGETS.get(caller.label() + "@" + location.id()).node());
      }
    }
    if (caller.sees().contains(ACME.id())) {
      assertThat(bodies.get(3)).doesNotContain("default-only-type");
    }
  }
}
