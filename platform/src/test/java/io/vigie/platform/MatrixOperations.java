package io.vigie.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.platform.MatrixWorld.Caller;
import io.vigie.platform.MatrixWorld.Kind;
import io.vigie.platform.MatrixWorld.Place;
import io.vigie.platform.MatrixWorld.Position;
import io.vigie.platform.MatrixWorld.Relation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every operation of the OpenAPI document must answer to each caller, for an object inside its scopes, outside
 * them in its tenant, and in the other tenant (docs/access-control.md): allowed → 2xx; visible but not for this role →
 * 403; an object named in the URL outside → 404, a node named in a body outside → 400, each exactly as for an object
 * that does not exist; an id taken outside → 409 (a PUT may not create it again). A route that no row describes fails
 * the matrix.
 */
final class MatrixOperations {
  private MatrixOperations() {}

  /** The status expected of one caller for an object in one relation to it; 200 stands for any 2xx. */
  interface Expect {
    int status(Caller caller, Relation relation);
  }

  /** The request of one attempt: path (its parameter filled), query, body. */
  record Request(String path, String query, Object body) {}

  interface Builder {
    Request build(String id, Place place, MatrixWorld world);
  }

  /**
   * One way of calling an operation: the kind of object it names (null: none), whether a succeeding attempt gets a
   * fresh object of that kind (deletes, acknowledgements), the positions tried, whether it changes anything (run after
   * the reads), and the expectation.
   */
  record Form(String label, Kind kind, boolean fresh, List<Position> positions, boolean writes, Builder builder,
              Expect expect, Refused refused) {
    Form(String label, Kind kind, boolean fresh, List<Position> positions, boolean writes, Builder builder, Expect expect) {
      this(label, kind, fresh, positions, writes, builder, expect, null);
    }
  }

  /** For an operation that answers 2xx outside the scopes: whether its body says nothing was done there. */
  interface Refused {
    boolean in(JsonObject body);
  }

  static final List<Position> PLACES = List.of(Position.LYON, Position.PARIS, Position.BERLIN);
  /** Device types are the tenant's: one of each tenant. */
  static final List<Position> TENANTS = List.of(Position.LYON, Position.BERLIN);
  static final List<Position> NOWHERE = List.of(Position.NONE);

  /** Anyone may call these (no token); the live ones are tried by the live matrix. */
  static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/token", "GET /.well-known/jwks.json",
      "GET /api/v1/openapi.json", "GET /", "GET /eventbus/{path}", "GET /ws", "GET /health/live", "GET /health/ready",
      "GET /metrics");

  static Expect read() {
    return (c, r) -> r.sees() ? 200 : 404;
  }

  /** A change of the object named in the URL: 404 outside, 403 without the right. */
  static Expect change(String right) {
    return (c, r) -> !r.sees() ? 404 : c.may(right) ? 200 : 403;
  }

  /** A write naming a node in its body: 400 outside (like a node that does not exist), 403 without the right. */
  static Expect refer(String right) {
    return (c, r) -> !r.sees() ? 400 : c.may(right) ? 200 : 403;
  }

  /** Users and clients: only admins (403), and only for scopes they administer (400 otherwise). */
  static Expect account() {
    return (c, r) -> !c.may("admin") ? 403 : r.sees() ? 200 : 400;
  }

  /** A create-or-replace by id, its body naming a node: 409 when the id is taken outside, 400 for a node outside. */
  static Expect put(String right) {
    return (c, r) -> r == Relation.OUTSIDE ? 409 : r == Relation.OTHER_TENANT ? 400 : c.may(right) ? 200 : 403;
  }

  /** Lists filtered by a node: outside, they hold nothing (as for a node that does not exist). */
  static Expect filtered() {
    return (c, r) -> 200;
  }

  static Expect role(String right) {
    return (c, r) -> c.may(right) ? 200 : 403;
  }

  static Expect always(int status) {
    return (c, r) -> status;
  }

  private static Form form(String label, Kind kind, List<Position> positions, Builder builder, Expect expect) {
    return new Form(label, kind, false, positions, false, builder, expect);
  }

  private static Form write(String label, Kind kind, boolean fresh, List<Position> positions, Builder builder, Expect expect) {
    return new Form(label, kind, fresh, positions, true, builder, expect);
  }

  /** The object in the path, no body. */
  private static Builder named() {
    return (id, p, w) -> new Request(id, "", null);
  }

  private static Builder named(Object body) {
    return (id, p, w) -> new Request(id, "", body);
  }

  private static Builder query(String query) {
    return (id, p, w) -> new Request("", query.replace("{node}", id == null ? "" : id), null);
  }

  /** Every operation of the document but the public ones, each with its forms. Keys: "METHOD /path". */
  static Map<String, List<Form>> all() {
    var m = new LinkedHashMap<String, List<Form>>();
    // tenants: platform admins only (admins of tenant default at its root); a route others may never use: 403
    m.put("POST /api/v1/tenants", List.of(write("a throwaway tenant", null, false, NOWHERE, (id, p, w) -> new Request("", "",
        new JsonObject().put("id", w.next("mxt")).put("name", "Throwaway")), role("platform"))));
    m.put("GET /api/v1/tenants", List.of(form("the tenants", null, NOWHERE, query(""), role("platform"))));
    m.put("DELETE /api/v1/tenants/{id}", List.of(new Form("a tenant (tenant B when refused)", Kind.TENANT, true, NOWHERE, true,
        named(), (c, r) -> c.may("platform") ? 200 : 403)));
    // nodes
    m.put("POST /api/v1/nodes", List.of(write("a node under the room", Kind.NODE, false, PLACES, (id, p, w) -> new Request("", "",
        new JsonObject().put("parentId", id).put("kind", "asset").put("name", "New")), refer("admin"))));
    m.put("GET /api/v1/nodes/{id}", List.of(form("the room", Kind.NODE, PLACES, named(), read())));
    m.put("PATCH /api/v1/nodes/{id}", List.of(write("the room, same name", Kind.NODE, false, PLACES,
        (id, p, w) -> new Request(id, "", new JsonObject().put("name", "Name of " + id)), change("admin"))));
    m.put("DELETE /api/v1/nodes/{id}", List.of(write("a leaf under the room", Kind.NODE, true, PLACES, named(), change("admin"))));
    m.put("GET /api/v1/nodes/{id}/children", List.of(form("the room", Kind.NODE, PLACES, named(), read())));
    m.put("GET /api/v1/nodes/{id}/tree", List.of(form("the room", Kind.NODE, PLACES, named(), read())));
    m.put("POST /api/v1/nodes/{id}/move", List.of(write("a node of the site into the room", Kind.SPARE_NODE, true, PLACES,
        (id, p, w) -> new Request(id, "", new JsonObject().put("parentId", p.room)), change("admin"))));
    // device types: the tenant's; written from the tenant root only
    m.put("GET /api/v1/device-types", List.of(form("the types", null, NOWHERE, query(""), always(200))));
    m.put("GET /api/v1/device-types/{id}", List.of(form("the tenant's type", Kind.TYPE, TENANTS, named(), read())));
    // (an LPP codec: no script examples to run while the matrix loads the machine)
    m.put("PUT /api/v1/device-types/{id}", List.of(write("the tenant's type (another tenant's id: one's own)", Kind.TYPE, false,
        TENANTS, named(new JsonObject().put("name", "LPP").put("codec", new JsonObject().put("kind", "cayenne-lpp"))),
        role("root-manage"))));
    m.put("POST /api/v1/device-types/{id}/test", List.of(form("the type's examples", Kind.TYPE, TENANTS,
        named(new JsonObject()), read())));
    // devices
    m.put("POST /api/v1/devices", List.of(write("a device in the room", Kind.NODE, false, PLACES, (id, p, w) -> new Request("", "",
        new JsonObject().put("devEui", w.eui("c0c0")).put("name", "New")
            .put("nodeId", id).put("type", "mx-probe").put("activation", new JsonObject().put("mode", "network-decrypted"))),
        refer("manage"))));
    m.put("GET /api/v1/devices", List.of(form("all", null, NOWHERE, query(""), always(200)),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}&recursive=true"), read())));
    m.put("GET /api/v1/devices/{devEui}", List.of(form("the device", Kind.DEVICE, PLACES, named(), read())));
    m.put("PATCH /api/v1/devices/{devEui}", List.of(write("the device, same name", Kind.DEVICE, false, PLACES,
        (id, p, w) -> new Request(id, "", new JsonObject().put("name", "Probe " + id)), change("manage"))));
    m.put("DELETE /api/v1/devices/{devEui}", List.of(write("a device", Kind.DEVICE, true, PLACES, named(), change("manage"))));
    // an import answers per row: out of scope, the row is refused as for a node that does not exist
    m.put("POST /api/v1/devices/import", List.of(new Form("a row in the room", Kind.NODE, false, PLACES, true,
        (id, p, w) -> new Request("", "", new JsonArray().add(new JsonObject().put("devEui", w.eui("d0d0"))
            .put("name", "Imported").put("nodeId", id).put("type", "mx-probe")
            .put("activation", new JsonObject().put("mode", "network-decrypted")))), role("manage"),
        body -> body.getJsonArray("results").stream().allMatch(row -> "error".equals(((JsonObject) row).getString("status"))))));
    // users and partner clients: seen only by admins who administer all their scopes
    m.put("POST /api/v1/users", List.of(write("a viewer of the room", Kind.NODE, false, PLACES, (id, p, w) -> new Request("", "",
        new JsonObject().put("username", w.next("mx-new-user")).put("password", MatrixWorld.PASSWORD).put("role", "viewer")
            .put("scopes", new JsonArray().add(id))), account())));
    m.put("GET /api/v1/users", List.of(form("all", null, NOWHERE, query(""), always(200))));
    Expect accountRead = (c, r) -> c.may("admin") && r.sees() ? 200 : 404;
    m.put("GET /api/v1/users/{username}", List.of(form("a viewer of the room", Kind.USER, PLACES, named(), accountRead)));
    m.put("PATCH /api/v1/users/{username}", List.of(write("a viewer of the room, same role", Kind.USER, false, PLACES,
        named(new JsonObject().put("role", "viewer")), accountRead)));
    m.put("DELETE /api/v1/users/{username}", List.of(write("a viewer of the room", Kind.USER, true, PLACES, named(), accountRead)));
    m.put("POST /api/v1/clients", List.of(write("a client of the room", Kind.NODE, false, PLACES, (id, p, w) -> new Request("", "",
        new JsonObject().put("name", "New client").put("scopes", new JsonArray().add(id))), account())));
    m.put("GET /api/v1/clients", List.of(form("all", null, NOWHERE, query(""), always(200))));
    m.put("GET /api/v1/clients/{clientId}", List.of(form("a client of the room", Kind.CLIENT, PLACES, named(), accountRead)));
    m.put("DELETE /api/v1/clients/{clientId}", List.of(write("a client of the room", Kind.CLIENT, true, PLACES, named(),
        (c, r) -> !c.may("admin") ? 403 : r.sees() ? 200 : 404)));
    // audit: admins only, within their scopes
    m.put("GET /api/v1/audit", List.of(form("all", null, NOWHERE, query(""), role("admin")),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}"), (c, r) -> !c.may("admin") ? 403 : r.sees() ? 200 : 404)));
    // ingestion takes the integration secret, never a user's token
    for (var source : List.of("chirpstack", "ttn", "thingpark")) {
      m.put("POST /uplinks/" + source, List.of(write("an uplink with the caller's token", null, false, NOWHERE,
          (id, p, w) -> new Request("", source.equals("chirpstack") ? "event=up" : "", new JsonObject()), always(401))));
    }
    m.put("GET /api/v1/gateways", List.of(form("the gateways", null, NOWHERE, query(""),
        (c, r) -> c.may("root-manage") && c.tenant().equals(MatrixWorld.TENANT_A) ? 200 : 403)));
    m.put("GET /api/v1/devices/{devEui}/uplinks", List.of(form("the device's uplinks", Kind.DEVICE, PLACES, named(), read())));
    // history
    m.put("GET /api/v1/history/devices/{devEui}", List.of(form("the device's temperatures", Kind.DEVICE, PLACES,
        (id, p, w) -> new Request(id, "name=temperature", null), read())));
    m.put("GET /api/v1/history/devices/{devEui}.csv", List.of(form("the device's temperatures", Kind.DEVICE, PLACES,
        (id, p, w) -> new Request(id, "name=temperature", null), read())));
    m.put("GET /api/v1/history/nodes/{id}/latest", List.of(form("the room", Kind.NODE, PLACES, named(), read())));
    // alerts
    m.put("GET /api/v1/alerts", List.of(form("all", null, NOWHERE, query(""), always(200)),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}"), filtered())));
    m.put("GET /api/v1/alerts/{id}", List.of(form("the device's alert", Kind.ALERT, PLACES, named(), read())));
    m.put("GET /api/v1/alerts/{id}/history", List.of(form("the device's alert", Kind.ALERT, PLACES, named(), read())));
    m.put("POST /api/v1/alerts/{id}/ack", List.of(write("an active alert", Kind.ALERT, true, PLACES,
        named(new JsonObject().put("comment", "seen")), change("manage"))));
    m.put("POST /api/v1/alerts/{id}/clear", List.of(write("an active alert", Kind.ALERT, true, PLACES,
        named(new JsonObject().put("comment", "fixed")), change("manage"))));
    // rules: written by operators and admins where they apply
    m.put("GET /api/v1/alert-rules", List.of(form("all", null, NOWHERE, query(""), always(200)),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}"), filtered())));
    m.put("PUT /api/v1/alert-rules/{id}", List.of(write("the room's rule, same body", Kind.RULE, false, PLACES,
        (id, p, w) -> new Request(id, "", MatrixWorld.ruleBody(p)), put("manage"))));
    m.put("GET /api/v1/alert-rules/{id}", List.of(form("the room's rule", Kind.RULE, PLACES, named(), read())));
    m.put("DELETE /api/v1/alert-rules/{id}", List.of(write("a rule of the room", Kind.RULE, true, PLACES, named(), change("manage"))));
    m.put("GET /api/v1/nodes/{id}/effective-rules", List.of(form("the room", Kind.NODE, PLACES, named(), read())));
    // silences: set by those who acknowledge alerts
    m.put("POST /api/v1/silences", List.of(write("a silence of the room", Kind.NODE, false, PLACES, (id, p, w) -> new Request("", "",
        MatrixWorld.silenceBody(p).put("nodeId", id)), refer("manage")),
        write("a silence of the device", Kind.DEVICE, false, PLACES, (id, p, w) -> new Request("", "",
            new JsonObject().put("devEui", id).put("until", MatrixWorld.silenceBody(p).getString("until"))), refer("manage"))));
    m.put("GET /api/v1/silences", List.of(form("all", null, NOWHERE, query(""), always(200)),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}"), filtered())));
    m.put("GET /api/v1/silences/{id}", List.of(form("the room's silence", Kind.SILENCE, PLACES, named(), read())));
    m.put("DELETE /api/v1/silences/{id}", List.of(write("a silence of the room", Kind.SILENCE, true, PLACES, named(),
        change("manage"))));
    // notification channels: written by operators and admins
    m.put("GET /api/v1/notification-channels", List.of(form("all", null, NOWHERE, query(""), always(200)),
        form("of the room", Kind.NODE, PLACES, query("nodeId={node}"), filtered())));
    m.put("PUT /api/v1/notification-channels/{id}", List.of(write("the room's channel, same body", Kind.CHANNEL, false, PLACES,
        (id, p, w) -> new Request(id, "", w.channelBody(p)), put("manage"))));
    m.put("GET /api/v1/notification-channels/{id}", List.of(form("the room's channel", Kind.CHANNEL, PLACES, named(), read())));
    m.put("DELETE /api/v1/notification-channels/{id}", List.of(write("a channel of the room", Kind.CHANNEL, true, PLACES,
        named(), change("manage"))));
    m.put("POST /api/v1/notification-channels/{id}/test", List.of(write("the room's channel", Kind.CHANNEL, false, PLACES,
        named(new JsonObject()), change("manage"))));
    m.put("GET /api/v1/notification-channels/{id}/deliveries", List.of(form("the room's channel", Kind.CHANNEL, PLACES,
        named(), read())));
    // tools: admins and operators of any tenant; they touch no stored object
    m.put("POST /api/v1/tools/lorawan/decode", List.of(form("a frame", null, NOWHERE, (id, p, w) -> new Request("", "",
        new JsonObject().put("phyPayload", "803320f86c402b73009f8c0ef97e677c73c6866aa5dd4bf8350716ed616d5bb0635ca6a0c01a6b9c02"
            + "cef7d5e5626c632f62b4854f64603a2c113fd3361af2f823")), role("manage"))));
    m.put("POST /api/v1/tools/decode", List.of(form("an LPP payload", null, NOWHERE, (id, p, w) -> new Request("", "",
        new JsonObject().put("codec", new JsonObject().put("kind", "cayenne-lpp")).put("fPort", 1).put("payloadHex", "016700eb")),
        role("manage"))));
    return m;
  }

  /** An id of {@code kind} that names nothing: what an object outside must be answered like. */
  static String ghost(Kind kind) {
    return switch (kind) {
      case NODE, SPARE_NODE -> "mx-ghost-node";
      case DEVICE -> "ffffffffffffff01";
      case USER -> "mx-ghost-user";
      case CLIENT -> "vc_AAAAAAAAAAAAAAAAAAAA";
      case TYPE -> "mx-ghost-type";
      case RULE -> "mx-ghost-rule";
      case CHANNEL -> "mx-ghost-channel";
      case SILENCE -> "00000000-0000-4000-8000-000000000000";
      case ALERT -> "00000000-0000-4000-8000-000000000001";
      case TENANT -> "mx-ghost-tenant";
    };
  }
}
