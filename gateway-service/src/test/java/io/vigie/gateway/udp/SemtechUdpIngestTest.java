package io.vigie.gateway.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.TestTokens;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.Fixtures;
import io.vigie.gateway.TestGateway;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Semtech UDP adapter on a real UDP port, talked to with a real {@link DatagramSocket} the way a packet
 * forwarder does; a stand-in registry answers DevAddr lookups and a stand-in decoder takes the uplinks.
 */
public class SemtechUdpIngestTest {
  private static final String GW1 = "aa555a0000000101";
  private static final String GW2 = "aa555a0000000102";
  private static final String DEV_EUI = "0101010101010101";
  private static final String DEV_ADDR = "2685d0c1";
  private static final String FRAME = "QMHQhSaAXfVPHyrm3ZRx+S4="; // vector up-pub-0143

  private TestGateway gateway;
  private DatagramSocket socket;
  private final AtomicInteger lookups = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(Map.of("ingest.dedupWindowMs", 300)).acknowledgeUplinks();
    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVADDR_LOOKUP, message -> {
      lookups.incrementAndGet();
      var devices = new JsonArray();
      if (DEV_ADDR.equals(message.body().getString("devAddr"))) {
        devices.add(new JsonObject().put("devEui", DEV_EUI).put("tenant", "default"));
      }
      message.reply(new JsonObject().put("devices", devices));
    });
    socket = new DatagramSocket();
    socket.setSoTimeout(5000);
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    gateway.close();
  }

  // ---------------------------------------------------------------- the protocol

  @Test
  @DisplayName("PUSH_DATA is answered PUSH_ACK with its token, and its frame reaches the decoder as an encrypted uplink with the whole PHYPayload")
  void pushData() throws Exception {
    send(pushData(0x3a7c, GW1, Fixtures.text("semtech-udp-push-data.json")));

    assertThat(receiveAck()).containsExactly(0x02, 0x3a, 0x7c, 0x01);
    var uplink = Uplink.fromJson(gateway.nextUplink(5));
    assertThat(uplink).isEqualTo(new Uplink(DEV_EUI, 62813, 79, "1f2ae6dd", true, DEV_ADDR,
        Instant.parse("2026-11-29T09:16:55.911Z"), "semtech-udp", List.of(new RxInfo(GW1, -35.0, 5.1)),
        "40c1d08526805df54f1f2ae6dd9471f92e", new TxInfo(866_349_812L, null, 7, 125_000, "4/5", true, false)));
  }

  @Test
  @DisplayName("PULL_DATA is answered PULL_ACK with its token; TX_ACK is ignored")
  void pullData() throws Exception {
    send(datagram(0x0102, 0x02, GW1, null));
    assertThat(receiveAck()).containsExactly(0x02, 0x01, 0x02, 0x04);

    send(datagram(0x0103, 0x05, GW1, "{\"txpk_ack\":{\"error\":\"NONE\"}}"));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gateway.metric("vigie_gateway_events_ignored_total{adapter=\"semtech-udp\",event=\"tx_ack\"}") == 1.0);
  }

  @Test
  @DisplayName("the same frame from two gateways becomes one uplink with both gateways' radio data")
  void twoGatewaysOneUplink() throws Exception {
    send(pushData(1, GW1, rxpk(-35, 5.1)));
    send(pushData(2, GW2, rxpk(-97, -3.25)));

    assertThat(receiveAck()).containsExactly(0x02, 0x00, 0x01, 0x01);
    assertThat(receiveAck()).containsExactly(0x02, 0x00, 0x02, 0x01);
    var uplink = Uplink.fromJson(gateway.nextUplink(5));
    assertThat(uplink.rx()).containsExactlyInAnyOrder(new RxInfo(GW1, -35.0, 5.1), new RxInfo(GW2, -97.0, -3.25));
    assertThat(gateway.nextUplink(1)).as("one uplink only").isNull();
    assertThat(lookups).as("one DevAddr lookup for both copies").hasValue(1);
  }

  @Test
  @DisplayName("a frame whose counter was already appended is a replay: the datagram is acknowledged, the frame is not "
      + "forwarded, and it is counted, recorded as the device's fate replay and published on uplink.security")
  void replayedCounter() throws Exception {
    var events = new java.util.concurrent.CopyOnWriteArrayList<JsonObject>();
    TestGateway.await(gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.UPLINK_SECURITY,
        message -> events.add(message.body())).completion());
    var genuine = dataFrames(DEV_ADDR, 1).get(0);
    send(pushData(1, GW1, rxpkData(genuine)));
    assertThat(receiveAck()).containsExactly(0x02, 0x00, 0x01, 0x01);
    assertThat(gateway.nextUplink(5)).isNotNull();

    // the same counter again, other content (a copy of the frame would join it within the de-duplication window)
    var replayed = java.util.Base64.getDecoder().decode(genuine);
    replayed[replayed.length - 5] ^= 0x7f;
    send(pushData(2, GW2, rxpkData(java.util.Base64.getEncoder().encodeToString(replayed))));
    assertThat(receiveAck()).as("PUSH_ACK is per datagram").containsExactly(0x02, 0x00, 0x02, 0x01);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    assertThat(events.get(0).getMap()).containsEntry("kind", "replay").containsEntry("devEui", DEV_EUI)
        .containsEntry("tenant", "default").containsEntry("fCnt", 1L).containsEntry("source", "semtech-udp");
    assertThat(gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"replay\"}")).isEqualTo(1.0);
    assertThat(gateway.nextUplink(1)).as("not forwarded").isNull();
    var fates = TestGateway.await(gateway.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.LRANGE)
        .arg("vigie:uplinks:{" + DEV_EUI + "}").arg(0).arg(-1)));
    assertThat(fates.stream().map(f -> new JsonObject(f.toString()).getString("status")).toList()).contains("replay");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.logLength() == 0);
  }

  @Test
  @DisplayName("the gateway's stat is kept and shown at GET /api/v1/gateways to the platform's operators only")
  void gatewayStatus() throws Exception {
    var tokens = TestTokens.create(gateway.running.vertx()).serveJwks(gateway.running.vertx());
    send(pushData(7, GW1, Fixtures.text("semtech-udp-push-data.json")));
    receiveAck();
    send(datagram(8, 0x02, GW1, null));
    receiveAck();

    var operator = tokens.token(new VigiePrincipal("ops", "default", Role.OPERATOR, List.of("default")));
    var list = get(operator);
    assertThat(list.statusCode()).isEqualTo(200);
    var gw = list.bodyAsJsonObject().getJsonArray("gateways").getJsonObject(0);
    assertThat(gw.getString("gatewayId")).isEqualTo(GW1);
    assertThat(gw.getLong("rxPackets")).isEqualTo(1);
    assertThat(gw.getString("lastPullAt")).isNotNull();
    assertThat(gw.getJsonObject("status")).isEqualTo(new JsonObject().put("time", "2026-11-29 09:16:55 GMT")
        .put("lati", 48.85661).put("long", 2.35222).put("alti", 35).put("rxnb", 2).put("rxok", 2).put("rxfw", 2)
        .put("ackr", 100.0).put("dwnb", 0).put("txnb", 0));

    assertThat(get(null).statusCode()).isEqualTo(401);
    assertThat(get(tokens.token(new VigiePrincipal("v", "default", Role.VIEWER, List.of("default")))).statusCode()).isEqualTo(403);
    assertThat(get(tokens.token(new VigiePrincipal("a", "acme", Role.ADMIN, List.of("acme")))).statusCode()).isEqualTo(403);
    assertThat(get(tokens.token(new VigiePrincipal("o", "default", Role.OPERATOR, List.of("site-paris")))).statusCode())
        .isEqualTo(403);
  }

  // ---------------------------------------------------------------- frames dropped

  @Test
  @DisplayName("a frame of an unknown DevAddr is counted and dropped; the answer is cached until the registry changes")
  void unknownDevAddr() throws Exception {
    var unknown = rxpkData("QAEAAAAAAQABAgME"); // a 12-byte data frame of DevAddr 00000001, FCnt 1, no FPort
    send(pushData(1, GW1, unknown));
    receiveAck();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"unknown_devaddr\"}") == 1.0);
    send(pushData(2, GW1, unknown));
    receiveAck();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"unknown_devaddr\"}") == 2.0);
    assertThat(lookups).as("the unknown answer is cached").hasValue(1);

    gateway.running.vertx().eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", "device").put("id", "0000000000000001").put("tenant", "default"));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      send(pushData(3, GW1, unknown));
      receiveAck();
      return lookups.get() == 2;
    });
    assertThat(gateway.received).isEmpty();
  }

  @Test
  @DisplayName("join requests are counted and dropped, not forwarded")
  void joinRequest() throws Exception {
    var join = java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(
        "00" + "0807060504030201" + "1122334455667788" + "3412" + "a1b2c3d4"));
    send(pushData(1, GW1, rxpkData(join)));
    receiveAck();

    await().atMost(Duration.ofSeconds(5))
        .until(() -> gateway.metric("vigie_gateway_events_ignored_total{adapter=\"semtech-udp\",event=\"join_request\"}") == 1.0);
    assertThat(gateway.received).isEmpty();
    assertThat(lookups).hasValue(0);
  }

  @Test
  @DisplayName("truncated and garbage datagrams and bad packets are counted drops, and the endpoint keeps serving")
  void garbage() throws Exception {
    send(new byte[0]);
    send(new byte[] {0x02});
    send(new byte[] {0x02, 0x00, 0x01, 0x00, 0x11});                         // PUSH_DATA cut in the EUI
    send(datagram(1, 0x00, GW1, "{\"rxpk\":[{\"data\":"));                  // JSON cut short
    send(datagram(2, 0x00, GW1, "\u0000\u00ff binary"));                     // not JSON at all
    send(new byte[] {0x07, 0x00, 0x01, 0x00, 1, 2, 3, 4, 5, 6, 7, 8});      // unknown version
    send(new byte[] {0x02, 0x00, 0x01, 0x03});                              // PULL_RESP is ours to send
    send(pushData(3, GW1, "{\"rxpk\":[{\"stat\":-1,\"data\":\"" + FRAME + "\"}]}"));           // CRC bad
    send(pushData(4, GW1, "{\"rxpk\":[{\"stat\":1,\"data\":\"not base64!\"}]}"));
    send(pushData(5, GW1, "{\"rxpk\":[{\"stat\":1,\"data\":\"QMHQhSaA\"}]}"));                 // 6-byte frame
    send(pushData(6, GW1, "{\"rxpk\":[42, {\"stat\":1}]}"));
    send(pushData(7, GW1, "{\"rxpk\":{\"data\":\"" + FRAME + "\"}}"));                       // rxpk not an array

    send(pushData(9, GW1, Fixtures.text("semtech-udp-push-data.json")));
    // well-formed PUSH_DATA are acknowledged (3 to 7, then 9), the others are not
    for (var token : List.of(3, 4, 5, 6, 7, 9)) {
      assertThat(receiveAck()).containsExactly(0x02, 0x00, token, 0x01);
    }
    assertThat(gateway.nextUplink(5)).as("the endpoint still works").isNotNull();
    var rejected = "vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"%s\"}";
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(gateway.metric(rejected.formatted("truncated"))).isEqualTo(3.0);
      assertThat(gateway.metric(rejected.formatted("malformed"))).isEqualTo(5.0);
      assertThat(gateway.metric(rejected.formatted("bad_version"))).isEqualTo(1.0);
      assertThat(gateway.metric(rejected.formatted("unexpected_identifier"))).isEqualTo(1.0);
      assertThat(gateway.metric(rejected.formatted("crc_bad"))).isEqualTo(1.0);
      assertThat(gateway.metric(rejected.formatted("bad_base64"))).isEqualTo(1.0);
      assertThat(gateway.metric(rejected.formatted("truncated_frame"))).isEqualTo(1.0);
    });
  }

  @Test
  @DisplayName("without a registry, or with the ingest log full, the frame is counted as lost and the datagram gets no PUSH_ACK")
  void failuresCounted() throws Exception {
    gateway.close();
    gateway = TestGateway.start(Map.of("ingest.dedupWindowMs", 0, "bus.requestTimeout", 500, "ingest.partitions", 1,
        "ingest.maxEntries", 1));
    socket.setSoTimeout(1000);
    send(pushData(1, GW1, Fixtures.text("semtech-udp-push-data.json")), gateway.service.udpPort());
    assertNoAck();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"registry_unavailable\"}") == 1.0);

    gateway.running.vertx().eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVADDR_LOOKUP, message -> message.reply(
        new JsonObject().put("devices", new JsonArray().add(new JsonObject().put("devEui", DEV_EUI)))));
    send(pushData(2, GW1, Fixtures.text("semtech-udp-push-data.json")), gateway.service.udpPort());
    assertThat(receiveAck()).as("appended").containsExactly(0x02, 0x00, 0x02, 0x01);
    send(pushData(3, GW1, rxpkData(dataFrames(DEV_ADDR, 1).get(0))), gateway.service.udpPort());
    assertNoAck();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.metric("vigie_gateway_uplinks_rejected_total{adapter=\"semtech-udp\",reason=\"log_full\"}") == 1.0);
  }

  @Test
  @DisplayName("20 frames of one device sent back to back by two gateways reach the decoder once each, in their order")
  void orderOfFrames() throws Exception {
    var frames = dataFrames(DEV_ADDR, 20);
    for (int i = 0; i < frames.size(); i++) {
      send(pushData(100 + i, GW1, rxpkData(frames.get(i))));
      send(pushData(200 + i, GW2, rxpkData(frames.get(i))));
    }
    var counters = new java.util.ArrayList<Long>();
    for (int i = 0; i < frames.size(); i++) {
      var uplink = gateway.nextUplink(10);
      assertThat(uplink).as("frame " + i).isNotNull();
      assertThat(uplink.getJsonArray("rx")).as("heard by both gateways").hasSize(2);
      counters.add(uplink.getLong("fCnt"));
    }
    assertThat(counters).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    assertThat(gateway.nextUplink(1)).as("each once").isNull();
  }

  /** Unconfirmed data-up frames of {@code devAddr}, FCnt 1 to {@code count}, FPort 2, base64 (MIC not checked here). */
  private static List<String> dataFrames(String devAddr, int count) {
    var addr = HexFormat.of().parseHex(devAddr);
    var frames = new java.util.ArrayList<String>();
    for (int fCnt = 1; fCnt <= count; fCnt++) {
      var frame = new byte[] {0x40, addr[3], addr[2], addr[1], addr[0], 0x00, (byte) fCnt, 0x00, 0x02, 0x11, 0x22, 1, 2, 3, 4};
      frames.add(java.util.Base64.getEncoder().encodeToString(frame));
    }
    return frames;
  }

  private void assertNoAck() throws Exception {
    var buffer = new byte[64];
    try {
      socket.receive(new DatagramPacket(buffer, buffer.length));
      throw new AssertionError("a PUSH_ACK came back");
    } catch (SocketTimeoutException expected) {
      // no acknowledgement: what was not appended is not acknowledged
    }
  }

  // ---------------------------------------------------------------- helpers

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> get(String token) throws Exception {
    var request = gateway.client.get(gateway.running.port(), "localhost", "/api/v1/gateways");
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    return TestGateway.await(request.send());
  }

  private static String rxpk(double rssi, double snr) {
    return new JsonObject().put("rxpk", new JsonArray().add(new JsonObject().put("time", "2026-11-29T09:16:55.911Z")
        .put("tmst", 3512348611L).put("stat", 1).put("rssi", rssi).put("lsnr", snr).put("data", FRAME))).encode();
  }

  private static String rxpkData(String data) {
    return new JsonObject().put("rxpk", new JsonArray().add(new JsonObject().put("stat", 1).put("rssi", -50).put("lsnr", 7)
        .put("data", data))).encode();
  }

  private static byte[] pushData(int token, String gatewayEui, String json) {
    return datagram(token, 0x00, gatewayEui, json);
  }

  private static byte[] datagram(int token, int identifier, String gatewayEui, String json) {
    return datagramOf(token, identifier, gatewayEui, json == null ? null : json.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A protocol v2 datagram: version, token, identifier, gateway EUI, then {@code json} unless null. */
  public static byte[] datagramOf(int token, int identifier, String gatewayEui, byte[] json) {
    var out = new ByteArrayOutputStream();
    out.write(0x02);
    out.write(token >> 8 & 0xFF);
    out.write(token & 0xFF);
    out.write(identifier);
    out.writeBytes(HexFormat.of().parseHex(gatewayEui));
    if (json != null) out.writeBytes(json);
    return out.toByteArray();
  }

  private void send(byte[] datagram) throws Exception {
    send(datagram, gateway.service.udpPort());
  }

  private void send(byte[] datagram, int port) throws Exception {
    socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
  }

  private int[] receiveAck() throws Exception {
    var buffer = new byte[64];
    var packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no acknowledgement within 5 s", e);
    }
    var ack = new int[packet.getLength()];
    for (int i = 0; i < ack.length; i++) ack[i] = buffer[i] & 0xFF;
    return ack;
  }
}
