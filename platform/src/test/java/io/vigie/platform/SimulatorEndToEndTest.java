package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Frame;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.LoadGenerator;
import io.vigie.simulator.LoadSettings;
import io.vigie.simulator.Main;
import io.vigie.simulator.SimulatorOptions;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.SemtechUdpSender;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator drives the platform through every ingestion path with encrypted ABP frames (real MIC, 32-bit
 * counters): every uplink it sent is found in Elasticsearch exactly once, with the temperature it encoded, which
 * only the platform's own decryption could have recovered; replays and forged MICs are refused, not stored, and
 * published on {@code uplink.security}.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("The simulator against the platform, through every adapter")
class SimulatorEndToEndTest {
  static final String INGEST_TOKEN = "sim-e2e-ingest-secret";
  static final String ADMIN_PASSWORD = "sim-e2e-admin-password";
  static final String INDEX_PREFIX = "sim-e2e-" + Long.toHexString(System.nanoTime());
  static final int PROBES_PER_ADAPTER = 3;
  static final int UPLINKS_PER_ADAPTER = 6;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static Platform platform;
  static Vertx simulatorVertx;
  static String baseUrl;
  static String esUrl;
  static String mqttUrl;
  static int udpPort;
  static final List<JsonObject> securityEvents = new CopyOnWriteArrayList<>();
  static MessageConsumer<JsonObject> securityConsumer;
  static volatile String adminToken;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    esUrl = elasticsearch.url();
    mqttUrl = mqtt.url();
    udpPort = FreePorts.find();
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-sim-e2e").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/3"))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", INDEX_PREFIX))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-gateway-" + INDEX_PREFIX))
        .put("udp", new JsonObject().put("port", udpPort).put("host", "127.0.0.1"))
        .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
        .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    baseUrl = "http://127.0.0.1:" + platform.port();
    securityConsumer = platform.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_SECURITY,
        message -> securityEvents.add(message.body()));
    join(securityConsumer.completion());
    simulatorVertx = Vertx.vertx();
    // the MQTT adapter subscribes after the start: publish only once it is ready
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (simulatorVertx != null) join(simulatorVertx.close());
    if (securityConsumer != null) join(securityConsumer.unregister());
    if (platform != null) platform.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chirpstack", "ttn", "thingpark", "mqtt-chirpstack", "mqtt-tts", "udp"})
  @DisplayName("every encrypted uplink sent through the adapter is stored exactly once, with the temperature the probe encoded")
  void everyAdapter(String adapter) throws Exception {
    var index = SimulatorOptions.ADAPTERS.indexOf(adapter);
    var options = SimulatorOptions.parse(new String[] {"--url", baseUrl, "--ingest-token", INGEST_TOKEN,
        "--admin-password", ADMIN_PASSWORD, "--adapter", adapter, "--mqtt-url", mqttUrl, "--udp-host", "127.0.0.1",
        "--udp-port", Integer.toString(udpPort), "--first-device", Integer.toString(100 * (index + 1)),
        "--devices", Integer.toString(PROBES_PER_ADAPTER), "--gateways", "2"}, Map.of());
    var fleet = new Fleet(simulatorVertx, baseUrl, INGEST_TOKEN, options.fleetOptions());
    join(fleet.register("admin", ADMIN_PASSWORD, PROBES_PER_ADAPTER));

    var sent = new CopyOnWriteArrayList<Frame>();
    var outcomes = new CopyOnWriteArrayList<Outcome>();
    var settings = new LoadSettings(20, null, UPLINKS_PER_ADAPTER, Duration.ofMillis(1000), 64, Duration.ofSeconds(30));
    var generator = new LoadGenerator(fleet.probes(), Gateways.of(2), Main.sender(simulatorVertx, options), settings, null,
        (frame, outcome) -> {
          sent.add(frame);
          outcomes.add(outcome);
        });
    var report = join(LoadGenerator.run(simulatorVertx, generator));

    assertThat(report.sent()).isEqualTo(UPLINKS_PER_ADAPTER);
    assertThat(outcomes).as(report.format()).allSatisfy(outcome -> assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ACKED));
    if (adapter.equals("udp")) {
      assertThat(sent).allSatisfy(frame -> assertThat(frame.fCnt()).as("raw frames of new devices: 16-bit counters").isLessThan(65_536));
    } else {
      assertThat(sent).allSatisfy(frame -> assertThat(frame.fCnt()).as("counters from the clock").isGreaterThan(65_535));
    }
    // every path acknowledges once the uplink is in the ingest log (or the broker got it): wait for storage
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> stored(sent).size() == sent.size());
    var documents = stored(sent);
    for (var frame : sent) {
      var copies = documents.get(frame.id());
      assertThat(copies).as("stored exactly once: " + frame.id()).hasSize(1);
      var document = copies.get(0);
      assertThat(document.getString("devEui")).isEqualTo(frame.devEui());
      assertThat(document.getLong("fCnt")).isEqualTo(frame.fCnt());
      assertThat(document.getJsonArray("errors", new JsonArray())).as(document.encode()).isEmpty();
      var temperature = document.getJsonArray("measurements").getJsonObject(0);
      assertThat(temperature.getString("name")).isEqualTo("temperature");
      assertThat(temperature.getDouble("value")).as("decrypted by the platform").isEqualTo(frame.celsius());
      assertThat(document.getJsonArray("rx")).as("both gateways of the frame").hasSize(2);
    }
    assertThat(count(fleet.probes().stream().map(p -> p.devEui()).toList())).as("nothing else stored for these probes")
        .isEqualTo(sent.size());
  }

  @Test
  @DisplayName("a forged MIC and replayed counters are refused, never stored, shown as mic-failed and replay in the "
      + "device's uplinks and published as security events; the probe keeps working")
  void forgeriesAndReplays() throws Exception {
    var probe = registeredProbe(700);
    var gateways = Gateways.of(2);
    var udp = new SemtechUdpSender(simulatorVertx, "127.0.0.1", udpPort);
    var http = WebhookSender.chirpStack(simulatorVertx, baseUrl, INGEST_TOKEN);
    join(udp.start());
    try {
      var first = probe.nextFrame(Instant.now(), gateways.receptions());
      var second = probe.nextFrame(Instant.now(), gateways.receptions());
      assertThat(join(udp.send(first)).kind()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(first)).size() == 1);
      assertThat(join(udp.send(second)).kind()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(second)).size() == 1);

      // the first counter replayed with another reading and a valid MIC, over UDP: the gateway had
      // appended that counter, and a packet forwarder never sends a frame twice: refused at once
      var replay = probe.frame(first.fCnt(), first.celsius() + 20, Instant.now(), gateways.receptions());
      assertThat(join(udp.send(replay)).kind()).as("PUSH_ACK is per datagram").isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> events("replay", probe.devEui()).size() == 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> fates(probe.devEui()).contains(first.id() + "=replay"));

      var third = probe.nextFrame(Instant.now(), gateways.receptions());
      // a forged frame (one MIC bit flipped) far ahead, heard by two gateways: had it moved the counter, the genuine
      // third frame below would be a replay
      var forged = probe.frame(third.fCnt() + 1000, third.celsius(), Instant.now(), gateways.receptions()).withMicBitFlipped();
      assertThat(join(udp.send(forged)).kind()).as("UDP acks the datagram anyway").isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> events("mic-failure", probe.devEui()).size() == 1);
      assertThat(events("mic-failure", probe.devEui()).get(0).getLong("fCnt")).isEqualTo(forged.fCnt());
      await().atMost(Duration.ofSeconds(20)).until(() -> fates(probe.devEui()).contains(forged.id() + "=mic-failed"));

      // the forgery did not move the counter: the genuine third frame is accepted and stored
      assertThat(join(udp.send(third)).kind()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(third)).size() == 1);

      // the second counter replayed over HTTP (the network server's 32-bit counter): accepted into the log (202),
      // then refused by the decoder's replay guard
      var httpReplay = join(http.send(probe.frame(second.fCnt(), second.celsius() - 10, Instant.now(), gateways.receptions())));
      assertThat(httpReplay.kind()).as(httpReplay.toString()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(20)).until(() -> events("replay", probe.devEui()).size() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> fates(probe.devEui()).contains(second.id() + "=replay"));

      // a re-delivery of the very same frame is a duplicate, not a replay
      var redelivery = join(http.send(third));
      assertThat(redelivery.kind()).as(redelivery.toString()).isIn(Outcome.Kind.ACKED, Outcome.Kind.DUPLICATE);
      await().atMost(Duration.ofSeconds(20)).until(() -> fates(probe.devEui()).contains(third.id() + "=duplicate"));
      assertThat(events("replay", probe.devEui())).as("no third replay").hasSize(2);

      var documents = stored(List.of(first, second, third));
      assertThat(documents.get(first.id())).hasSize(1);
      assertThat(documents.get(first.id()).get(0).getJsonArray("measurements").getJsonObject(0).getDouble("value"))
          .as("the replay did not overwrite the reading").isEqualTo(first.celsius());
      assertThat(documents.get(second.id()).get(0).getJsonArray("measurements").getJsonObject(0).getDouble("value"))
          .isEqualTo(second.celsius());
      assertThat(count(List.of(probe.devEui()))).as("three readings, nothing else").isEqualTo(3);
      assertThat(events("replay", probe.devEui())).allSatisfy(event -> assertThat(event.getString("tenant")).isEqualTo("default"));
      var metrics = get("/metrics").body();
      assertThat(metric(metrics, "vigie_decoder_security_events_total", "kind=\"mic-failure\"")).isGreaterThanOrEqualTo(1);
      assertThat(metric(metrics, "vigie_decoder_security_events_total", "kind=\"replay\"")).isGreaterThanOrEqualTo(1);
      assertThat(metric(metrics, "vigie_gateway_uplinks_rejected_total", "reason=\"replay\"")).isGreaterThanOrEqualTo(1);
    } finally {
      join(udp.close());
      join(http.close());
    }
  }

  @Test
  @DisplayName("20 frames of one ABP device sent back to back by two gateways are each stored once with both gateways; "
      + "each one replayed is refused, not stored again and shown as replay, as is a replay far below the last counter")
  void semtechFramesAndTheirReplays() throws Exception {
    var udp = new SemtechUdpSender(simulatorVertx, "127.0.0.1", udpPort);
    join(udp.start());
    try {
      var gateways = Gateways.of(2);
      var probe = registeredProbe(750);
      var frames = new ArrayList<Frame>();
      for (int i = 0; i < 20; i++) frames.add(probe.nextFrame(Instant.now(), gateways.receptions()));
      var sending = frames.stream().map(udp::send).toList();   // back to back, each frame from both gateways at once
      assertThat(join(Future.all(sending)).<Outcome>list()).extracting(Outcome::kind).containsOnly(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> stored(frames).size() == 20);
      var documents = stored(frames);
      for (var frame : frames) {
        assertThat(documents.get(frame.id())).as("stored once: " + frame.id()).hasSize(1);
        var document = documents.get(frame.id()).get(0);
        assertThat(document.getJsonArray("rx").stream().map(rx -> ((JsonObject) rx).getString("gatewayId")).toList())
            .as("both gateways of " + frame.id()).containsExactlyInAnyOrderElementsOf(gateways.euis());
        assertThat(document.getJsonArray("measurements").getJsonObject(0).getDouble("value")).isEqualTo(frame.celsius());
      }

      for (var frame : frames) assertThat(join(udp.send(frame)).kind()).as("PUSH_ACK is per datagram").isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(30)).until(() -> events("replay", probe.devEui()).size() == 20);
      var shown = fates(probe.devEui());
      for (var frame : frames) assertThat(shown).contains(frame.id() + "=stored", frame.id() + "=replay");

      // far below the last counter (past the gateway's window of 64): appended, then refused by the decoder's guard
      var ahead = probe.frame(frames.get(19).fCnt() + 100, 4.0, Instant.now(), gateways.receptions());
      assertThat(join(udp.send(ahead)).kind()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(30)).until(() -> stored(List.of(ahead)).size() == 1);
      assertThat(join(udp.send(frames.get(0))).kind()).isEqualTo(Outcome.Kind.ACKED);
      await().atMost(Duration.ofSeconds(30)).until(() -> events("replay", probe.devEui()).size() == 21);
      await().atMost(Duration.ofSeconds(30)).until(() -> fates(probe.devEui()).stream()
          .filter((frames.get(0).id() + "=replay")::equals).count() == 2);

      assertThat(count(List.of(probe.devEui()))).as("21 readings, nothing stored twice").isEqualTo(21);
      var metrics = get("/metrics").body();
      assertThat(metric(metrics, "vigie_gateway_uplinks_rejected_total", "reason=\"replay\"")).isGreaterThanOrEqualTo(20);
    } finally {
      join(udp.close());
    }
  }

  @Test
  @DisplayName("the command line registers its fleet, sends at the rate with a progress line, and exits 0 when every uplink is stored")
  void commandLine() throws Exception {
    var out = new ByteArrayOutputStream();
    var options = SimulatorOptions.parse(new String[] {"--url", baseUrl, "--ingest-token", INGEST_TOKEN,
        "--admin-password", ADMIN_PASSWORD, "--devices", "8", "--first-device", "800", "--rate", "8", "--duration", "2s",
        "--adapter", "thingpark"}, Map.of());
    var code = join(Main.run(simulatorVertx, options, new PrintStream(out, true, StandardCharsets.UTF_8)));
    var printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("thingpark  sent").contains("latency p50").containsPattern("thingpark: 1[4-8] sent in");
  }

  @Test
  @DisplayName("./vigie --demo registers twelve ABP probes and every one of them gets its encrypted readings stored")
  void demo() throws Exception {
    var out = new ByteArrayOutputStream();
    Demo.start(platform, new PrintStream(out, true, StandardCharsets.UTF_8));
    var devEuis = new ArrayList<String>();
    for (int i = 1; i <= Demo.FLEET_SIZE; i++) devEuis.add(String.format("70b3d57ed0%06x", i));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (var devEui : devEuis) if (count(List.of(devEui)) == 0) return false;
      return true;
    });
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Demo: 12 simulated ABP fridge probes");
    var errors = es("/_count", new JsonObject().put("query", new JsonObject().put("bool", new JsonObject()
        .put("filter", new JsonArray().add(new JsonObject().put("terms", new JsonObject().put("devEui", new JsonArray(devEuis))))
            .add(new JsonObject().put("exists", new JsonObject().put("field", "errors")))))));
    assertThat(errors.getLong("count")).as("decrypted and decoded").isZero();
  }

  // --- helpers

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  static java.net.http.HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), BodyHandlers.ofString());
  }

  static List<JsonObject> events(String kind, String devEui) {
    return securityEvents.stream().filter(e -> kind.equals(e.getString("kind")) && devEui.equals(e.getString("devEui"))).toList();
  }

  /** The stored documents of these frames' ids, across every index of the test: id → copies. */
  static Map<String, List<JsonObject>> stored(List<Frame> frames) throws Exception {
    refresh();
    var ids = new JsonArray(frames.stream().map(Frame::id).distinct().toList());
    var response = es("/_search", new JsonObject().put("size", 1000)
        .put("query", new JsonObject().put("ids", new JsonObject().put("values", ids))));
    var found = new HashMap<String, List<JsonObject>>();
    for (var hit : response.getJsonObject("hits").getJsonArray("hits")) {
      var document = (JsonObject) hit;
      found.computeIfAbsent(document.getString("_id"), id -> new ArrayList<>()).add(document.getJsonObject("_source"));
    }
    return found;
  }

  /** The device's uplinks as {@code GET /api/v1/devices/{devEui}/uplinks} shows them to the admin: "id=status". */
  static List<String> fates(String devEui) throws Exception {
    if (adminToken == null) adminToken = join(new PlatformClient(simulatorVertx, platform.port()).token("admin", ADMIN_PASSWORD));
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/devices/" + devEui + "/uplinks?limit=100"))
        .header("Authorization", "Bearer " + adminToken).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("uplinks").stream()
        .map(u -> ((JsonObject) u).getString("id") + "=" + ((JsonObject) u).getString("status")).toList();
  }

  /** A new ABP probe registered through the API, counting from 1 (raw frames carry 16-bit counters). */
  static io.vigie.simulator.Probe registeredProbe(int number) throws Exception {
    var fleet = new Fleet(simulatorVertx, baseUrl, INGEST_TOKEN, FleetOptions.defaults().withFirstDevice(number).withFirstFCnt(1));
    join(fleet.register("admin", ADMIN_PASSWORD, 1));
    return fleet.probes().get(0);
  }

  /** How many documents these devices have. */
  static long count(List<String> devEuis) throws Exception {
    refresh();
    return es("/_count", new JsonObject().put("query", new JsonObject().put("terms",
        new JsonObject().put("devEui", new JsonArray(devEuis))))).getLong("count");
  }

  static void refresh() throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + INDEX_PREFIX + "-*/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString());
  }

  static JsonObject es(String path, JsonObject body) throws Exception {
    var response = ShardReady.send(HTTP, HttpRequest.newBuilder(URI.create(esUrl + "/" + INDEX_PREFIX + "-*" + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static double metric(String metrics, String name, String label) {
    return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
