package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.platform.MatrixOperations.Form;
import io.vigie.platform.MatrixWorld.Caller;
import io.vigie.platform.MatrixWorld.Kind;
import io.vigie.platform.MatrixWorld.Place;
import io.vigie.platform.MatrixWorld.Position;
import io.vigie.platform.MatrixWorld.Relation;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The authorisation matrix of the whole platform, every service in one JVM: each operation of the OpenAPI document
 * the registry serves, tried by six callers (admin, operator and viewer scoped to Lyon, the tenant's root admin, a
 * partner client scoped to Lyon, the admin of another tenant) on an object in Lyon, in Paris (the sibling site) and in
 * the other tenant; and each live topic over {@code /ws} and SockJS. A route without an expectation fails it; every
 * mismatch is listed (method, path, caller, position, expected, got), not only the first.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The authorisation matrix of the platform")
class AuthorizationMatrixPlatformTest {
  static MatrixWorld world;
  static Platform platform;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    // Redis database 0: the other classes of this module have 1–15
    platform = TestPlatforms.start("matrix", 0, redis, elasticsearch, mqtt);
    world = new MatrixWorld(platform.port());
    world.build();
  }

  @AfterAll
  static void stop() {
    if (world != null) world.client.vertx.close();
    if (platform != null) platform.close();
  }

  /** One call of the matrix, and what it must answer. */
  record Attempt(String operation, Form form, Caller caller, Position position, int expected) {
    Relation relation() {
      return caller.relation(position);
    }

    /** Succeeding changes get an object of their own (a delete, an acknowledgement) so that the others keep theirs. */
    boolean fresh() {
      return form.fresh() && expected / 100 == 2;
    }

    String describe() {
      return String.format("%-7s %-52s %-20s %-7s %-24s", operation.substring(0, operation.indexOf(' ')),
          operation.substring(operation.indexOf(' ') + 1) + " (" + form.label() + ")", caller.label(), position,
          relation());
    }
  }

  @Test
  @DisplayName("every operation of the API answers each caller as docs/access-control.md says, inside its scopes, "
      + "outside them and in another tenant; outside answers exactly as for an object that does not exist")
  void everyOperation() {
    var document = world.ok(HttpMethod.GET, "/api/v1/openapi.json", null, null);
    var operations = MatrixOperations.all();
    var documented = new TreeSet<String>();
    document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).fieldNames().stream()
        .filter(ApiContractTest.METHODS::contains)
        .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    var unexpected = new TreeSet<>(documented);
    unexpected.removeAll(operations.keySet());
    unexpected.removeAll(MatrixOperations.PUBLIC);
    var stale = new TreeSet<>(operations.keySet());
    stale.removeAll(documented);
    assertThat(unexpected).as("documented operations without a row in the matrix (add one to MatrixOperations)").isEmpty();
    assertThat(stale).as("rows of the matrix for operations the document no longer lists").isEmpty();

    var attempts = new ArrayList<Attempt>();
    operations.forEach((operation, forms) -> forms.forEach(form -> world.callers.forEach(caller -> form.positions()
        .forEach(position -> attempts.add(new Attempt(operation, form, caller, position,
            form.expect().status(caller, caller.relation(position))))))));
    var alertsNeeded = new java.util.EnumMap<Position, Integer>(Position.class);
    attempts.stream().filter(a -> a.fresh() && a.form().kind() == Kind.ALERT)
        .forEach(a -> alertsNeeded.merge(a.position(), 1, Integer::sum));
    world.raiseAlerts(alertsNeeded);
    world.awaitAudit();   // so that the audit routes have entries to leak, if they did

    var mismatches = new CopyOnWriteArrayList<String>();
    // the reads first, then the changes (a PUT of another tenant's type id creates one's own)
    // eight callers at a time (fresh objects are made by the thread that needs one)
    var threads = Executors.newFixedThreadPool(8);
    try {
      for (var writes : List.of(false, true)) {
        CompletableFuture.allOf(attempts.stream().filter(a -> a.form().writes() == writes)
            .map(a -> CompletableFuture.runAsync(() -> MatrixWorld.join(run(a, mismatches)), threads))
            .toArray(CompletableFuture[]::new)).join();
      }
    } finally {
      threads.shutdown();
    }
    assertThat(attempts).as("attempts").hasSizeGreaterThan(800);
    assertThat(mismatches).as("%d attempts; the mismatches (method, path, caller, position, relation: expected → got)"
        + "%n%s%n", attempts.size(), String.join("\n", new TreeSet<>(mismatches))).isEmpty();
  }

  private Future<Void> run(Attempt attempt, List<String> mismatches) {
    var place = world.places.get(attempt.position());
    var kind = attempt.form().kind();
    String id = kind == null ? null
        : attempt.fresh() ? world.fresh(kind, place)
        : kind == Kind.TENANT ? MatrixWorld.TENANT_B : place.get(kind);
    // a refusal outside must be the answer for an object that does not exist (a taken id excepted: 409)
    var compareWithGhost = kind != null && !attempt.relation().sees() && attempt.expected() / 100 == 4 && attempt.expected() != 409;
    var request = attempt.form().builder().build(id, place, world);
    var real = send(attempt, request);
    var ghost = compareWithGhost ? send(attempt, ghostOf(request, id, MatrixOperations.ghost(kind)))
        : Future.<HttpResponse<Buffer>>succeededFuture();
    return Future.join(real, ghost).transform(done -> {
      try {
        check(attempt, id, place, real, ghost, compareWithGhost, mismatches);
      } catch (RuntimeException e) {
        mismatches.add(attempt.describe() + ": answer not understood: " + e);
      }
      return Future.succeededFuture();
    });
  }

  private static void check(Attempt attempt, String id, Place place, Future<HttpResponse<Buffer>> real,
                            Future<HttpResponse<Buffer>> ghost, boolean compareWithGhost, List<String> mismatches) {
    var kind = attempt.form().kind();
    var relation = attempt.relation();
    if (real.failed()) {
      mismatches.add(attempt.describe() + ": expected " + attempt.expected() + " → " + real.cause());
      return;
    }
    var response = real.result();
    var status = response.statusCode();
    var body = response.bodyAsString() == null ? "" : response.bodyAsString();
    var expected = attempt.expected();
    if (expected / 100 == 2 ? status / 100 != 2 : status != expected) {
      mismatches.add(attempt.describe() + ": expected " + expected + " → got " + status + " " + abbreviate(body));
    } else if (status / 100 == 2 && attempt.form().refused() != null && !relation.sees()
        && !attempt.form().refused().in(new JsonObject(body))) {
      mismatches.add(attempt.describe() + ": did something outside the caller's scopes: " + abbreviate(body));
    } else if (compareWithGhost && ghost.succeeded()) {
      var missing = ghost.result().bodyAsString() == null ? "" : ghost.result().bodyAsString();
      var ghostNode = MatrixOperations.ghost(Kind.NODE);
      var alike = body.replace(id, MatrixOperations.ghost(kind)).replace(place.room, ghostNode);
      if (ghost.result().statusCode() != status || !alike.equals(missing.replace(place.room, ghostNode))) {
        mismatches.add(attempt.describe() + ": answers unlike a missing object: " + status + " " + abbreviate(body)
            + " / missing: " + ghost.result().statusCode() + " " + abbreviate(missing));
      }
    }
    // the ids the request itself named are echoed in refusals ("no alert …"): what else shows must be visible
    var leaked = leaks(attempt.caller(), body.replace(id == null ? "\u0000" : id, "")
        .replace(place == null ? "\u0000" : place.room, ""));
    if (!leaked.isEmpty()) mismatches.add(attempt.describe() + ": shows what the caller may not see: " + leaked);
  }

  /** The same request naming an object that does not exist instead of {@code id}. */
  private static MatrixOperations.Request ghostOf(MatrixOperations.Request request, String id, String ghost) {
    Object body = request.body() == null ? null : io.vertx.core.json.Json.decodeValue(
        io.vertx.core.json.Json.encode(request.body()).replace(id, ghost));
    return new MatrixOperations.Request(request.path().replace(id, ghost), request.query().replace(id, ghost), body);
  }

  private Future<HttpResponse<Buffer>> send(Attempt attempt, MatrixOperations.Request request) {
    var operation = attempt.operation();
    var path = operation.substring(operation.indexOf(' ') + 1).replaceFirst("\\{[^}]+}", request.path());
    var uri = request.query().isEmpty() ? path : path + "?" + request.query();
    return world.call(HttpMethod.valueOf(operation.substring(0, operation.indexOf(' '))), uri, attempt.caller().token(),
        request.body());
  }

  /** The ids of places the caller does not see that occur in {@code body}. */
  private static List<String> leaks(Caller caller, String body) {
    return world.places.values().stream().filter(place -> !caller.relation(place.position).sees())
        .flatMap(place -> place.vocabulary.stream()).filter(body::contains).sorted().toList();
  }

  private static String abbreviate(String body) {
    return body.length() > 160 ? body.substring(0, 160) + "…" : body;
  }

  // ---- live

  /** A live connection on one transport, keeping every frame it received. */
  record Live(String transport, Caller caller, WebSocketClient client, WebSocket socket, List<JsonObject> frames) {
    static Future<Live> open(Vertx vertx, int port, String transport, Caller caller) {
      var client = vertx.createWebSocketClient();
      var uri = transport.equals("ws") ? "/ws?access_token=" + caller.token() : "/eventbus/websocket";
      return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).map(socket -> {
        var live = new Live(transport, caller, client, socket, new CopyOnWriteArrayList<>());
        socket.handler(buffer -> live.frames.add(new JsonObject(buffer)));
        var ping = vertx.setPeriodic(2000, t -> socket.writeTextMessage(new JsonObject().put("type", "ping").encode()));
        socket.closeHandler(closed -> vertx.cancelTimer(ping));
        return live;
      });
    }

    Future<Void> register(String address) {
      var frame = new JsonObject().put("type", "register").put("address", address);
      if (transport.equals("sockjs")) frame.put("headers", new JsonObject().put("Authorization", "Bearer " + caller.token()));
      return socket.writeTextMessage(frame.encode());
    }

    List<JsonObject> of(String address, String type) {
      return frames.stream().filter(f -> type.equals(f.getString("type")) && address.equals(f.getString("address"))).toList();
    }

    String label() {
      return (transport.equals("ws") ? "/ws" : "SockJS") + " " + caller.label();
    }
  }

  static List<String> topics(Place place) {
    return List.of("telemetry.device." + place.liveDevice, "telemetry.node." + place.room, "alerts.node." + place.room);
  }

  @Test
  @DisplayName("each live topic, over /ws and SockJS, is delivered to each caller inside its scopes, and refused "
      + "(rejected) and never delivered outside them or in another tenant")
  void everyLiveTopic() {
    var sockets = new ArrayList<Live>();
    for (var transport : List.of("ws", "sockjs")) {
      for (var caller : world.callers) sockets.add(MatrixWorld.join(Live.open(world.client.vertx, platform.port(), transport, caller)));
    }
    try {
      for (var live : sockets) {
        for (var place : world.places.values()) topics(place).forEach(address -> MatrixWorld.join(live.register(address)));
      }
      // every registration answered: a snapshot or a refusal
      await().atMost(Duration.ofSeconds(30)).until(() -> sockets.stream().allMatch(live -> world.places.values().stream()
          .flatMap(place -> topics(place).stream())
          .allMatch(a -> !live.of(a, "snapshot").isEmpty() || !live.of(a, "err").isEmpty())));
      MatrixWorld.join(Future.all(world.places.values().stream().map(place -> world.uplink(place.liveDevice)).toList()));
      // every allowed subscription gets its pushes (the reading, and the alert it opens)
      await().atMost(Duration.ofSeconds(60)).until(() -> sockets.stream().allMatch(live -> world.places.values().stream()
          .filter(place -> live.caller().relation(place.position).sees())
          .flatMap(place -> topics(place).stream()).allMatch(a -> !live.of(a, "rec").isEmpty())));

      var mismatches = new ArrayList<String>();
      for (var live : sockets) {
        for (var place : world.places.values()) {
          var sees = live.caller().relation(place.position).sees();
          for (var address : topics(place)) {
            var got = live.of(address, "snapshot").isEmpty() ? "" : "snapshot ";
            got += live.of(address, "rec").isEmpty() ? "" : "rec ";
            got += live.of(address, "err").stream().map(f -> f.getString("body")).collect(Collectors.joining(" "));
            var expected = sees ? "snapshot rec " : "rejected";
            if (!got.equals(expected)) {
              mismatches.add(String.format("%-36s %-44s %-7s %-13s: expected %s → got %s", live.label(), address,
                  place.position, live.caller().relation(place.position), expected, got));
            }
          }
        }
        var leaked = leaks(live.caller(), live.frames().stream().filter(f -> !"err".equals(f.getString("type")))
            .map(JsonObject::encode).collect(Collectors.joining("\n")));
        if (!leaked.isEmpty()) mismatches.add(live.label() + ": delivered what the caller may not see: " + leaked);
      }
      assertThat(mismatches).as("%d subscriptions; the mismatches%n%s%n", sockets.size() * 9, String.join("\n", mismatches))
          .isEmpty();
    } finally {
      sockets.forEach(live -> live.client().close());
    }
  }
}
