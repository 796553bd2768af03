package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TtsV3Test {
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private final TtsV3 adapter = new TtsV3(Clock.fixed(NOW, ZoneOffset.UTC));

  private Uplink uplink(JsonObject body) {
    return ((Incoming.Up) adapter.read(body)).uplink();
  }

  @Test
  @DisplayName("a webhook uplink message becomes the canonical uplink, decrypted by The Things Stack")
  void uplinkMessage() {
    var uplink = uplink(Fixtures.json("tts-v3-up.json"));

    assertThat(uplink).isEqualTo(new Uplink("0004a30b001c0530", 1834, 1, "0167002a", false, "260babcd",
        Instant.parse("2026-11-29T13:42:11.412Z"), "tts-v3", List.of(new RxInfo("aa555a0000000101", -68.0, 9.2)), null,
        new TxInfo(868_100_000L, null, 7, 125_000, "4/5", null, false)));
  }

  @Test
  @DisplayName("settings are read: frequency given as a string, LoRa data rate, coding rate inside data_rate, confirmed")
  void radioSettings() {
    var body = Fixtures.json("tts-v3-up.json");
    var message = body.getJsonObject("uplink_message").put("confirmed", true);
    var settings = message.getJsonObject("settings");
    settings.remove("coding_rate");
    settings.put("frequency", "867500000").getJsonObject("data_rate").getJsonObject("lora")
        .put("spreading_factor", "12").put("coding_rate", "4/5");

    assertThat(uplink(body).tx()).isEqualTo(new TxInfo(867_500_000L, null, 12, 125_000, "4/5", null, true));
  }

  @Test
  @DisplayName("without a coding rate the tx info says what is known, and without settings nothing but 'not confirmed'")
  void radioSettingsOmitted() {
    assertThat(uplink(Fixtures.json("tts-v3-up-skip-payload-crypto.json")).tx())
        .isEqualTo(new TxInfo(867_300_000L, null, 9, 125_000, null, null, false));
    var bare = Fixtures.json("tts-v3-up.json");
    bare.getJsonObject("uplink_message").remove("settings");
    assertThat(uplink(bare).tx()).isEqualTo(new TxInfo(null, null, null, null, null, null, false));
  }

  @Test
  @DisplayName("with payload crypto skipped (app_s_key present) the payload is marked encrypted, and the first frame has fCnt 0")
  void skipPayloadCrypto() {
    var uplink = uplink(Fixtures.json("tts-v3-up-skip-payload-crypto.json"));

    assertThat(uplink.encrypted()).isTrue();
    assertThat(uplink.payloadHex()).isEqualTo("deadbeef");
    assertThat(uplink.fCnt()).isZero();
    assertThat(uplink.id()).isEqualTo("0004a30b001c0531-00000000");
    assertThat(uplink.receivedAt()).isEqualTo(Instant.parse("2026-11-29T13:45:02.110Z"));
  }

  @Test
  @DisplayName("a gateway behind Packet Broker is named by its forwarder EUI, and an omitted rssi falls back to channel_rssi")
  void packetBroker() {
    var rx = uplink(Fixtures.json("tts-v3-up-skip-payload-crypto.json")).rx();

    assertThat(rx).containsExactly(new RxInfo("aa555a0000000101", -71.0, 7.5), new RxInfo("b827ebfffe000001", -104.0, -4.25));
  }

  @Test
  @DisplayName("no decoded_payload alone does not mean encrypted (no payload formatter configured)")
  void noFormatterIsNotEncrypted() {
    var body = Fixtures.json("tts-v3-up.json");
    body.getJsonObject("uplink_message").remove("decoded_payload");

    assertThat(uplink(body).encrypted()).isFalse();
  }

  @Test
  @DisplayName("omitted zero fields read as 0: f_cnt, f_port, rssi, snr; without times the gateway's clock is used")
  void omittedZeroFields() {
    var body = Fixtures.json("tts-v3-up.json");
    var message = body.getJsonObject("uplink_message");
    message.remove("f_cnt");
    message.remove("f_port");
    message.remove("received_at");
    body.remove("received_at");
    var rx = message.getJsonArray("rx_metadata").getJsonObject(0);
    rx.remove("rssi");
    rx.remove("channel_rssi");
    rx.remove("snr");

    var uplink = uplink(body);

    assertThat(uplink.fCnt()).isZero();
    assertThat(uplink.fPort()).isZero();
    assertThat(uplink.receivedAt()).isEqualTo(NOW);
    assertThat(uplink.rx()).containsExactly(new RxInfo("aa555a0000000101", 0.0, 0.0));
  }

  @Test
  @DisplayName("the application server's received_at is used when the uplink message has none")
  void topLevelReceivedAt() {
    var body = Fixtures.json("tts-v3-up.json").put("received_at", "2026-11-29T13:42:12Z");
    body.getJsonObject("uplink_message").remove("received_at");

    assertThat(uplink(body).receivedAt()).isEqualTo(Instant.parse("2026-11-29T13:42:12Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"join_accept", "downlink_ack", "downlink_queued", "location_solved", "uplink_normalized"})
  @DisplayName("other application-up messages are recognised and ignored")
  void otherMessages(String event) {
    var body = new JsonObject().put("end_device_ids", new JsonObject().put("device_id", "d"))
        .put(event, new JsonObject().put("f_port", 1));

    assertThat(adapter.read(body)).isEqualTo(new Incoming.Ignored(event));
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        bad("no uplink_message nor known event", b -> b.remove("uplink_message"), "uplink_message is missing"),
        bad("uplink_message not an object", b -> b.put("uplink_message", "x"), "uplink_message must be an object"),
        bad("no end_device_ids", b -> b.remove("end_device_ids"), "end_device_ids is missing"),
        bad("no dev_eui", b -> b.getJsonObject("end_device_ids").remove("dev_eui"), "end_device_ids.dev_eui is missing"),
        bad("dev_eui not hex", b -> b.getJsonObject("end_device_ids").put("dev_eui", "0004A30B001C05ZZ"),
            "end_device_ids.dev_eui must be 16 hex digits"),
        bad("dev_addr too long", b -> b.getJsonObject("end_device_ids").put("dev_addr", "260BABCD00"),
            "end_device_ids.dev_addr must be 8 hex digits"),
        bad("f_cnt a word", b -> message(b).put("f_cnt", "many"), "uplink_message.f_cnt must be an unsigned integer"),
        bad("f_port 300", b -> message(b).put("f_port", 300), "uplink_message.f_port must be between 0 and 255"),
        bad("frm_payload not base64", b -> message(b).put("frm_payload", "@@@"), "uplink_message.frm_payload is not valid base64"),
        bad("frm_payload a number", b -> message(b).put("frm_payload", 7), "uplink_message.frm_payload must be a string"),
        bad("received_at not a time", b -> message(b).put("received_at", "soon"), "uplink_message.received_at must be an RFC 3339 time"),
        bad("rx_metadata an object", b -> message(b).put("rx_metadata", new JsonObject()), "uplink_message.rx_metadata must be an array"),
        bad("rx_metadata item a string", b -> message(b).put("rx_metadata", new JsonArray().add("gw")),
            "uplink_message.rx_metadata[0] must be an object"),
        bad("rx without gateway_ids", b -> rx0(b).remove("gateway_ids"), "uplink_message.rx_metadata[0].gateway_ids is missing"),
        bad("rx gateway without id", b -> rx0(b).put("gateway_ids", new JsonObject()), "has neither eui nor gateway_id"),
        bad("rssi a word", b -> rx0(b).put("rssi", "strong"), "uplink_message.rx_metadata[0].rssi must be a number"));
  }

  private static JsonObject message(JsonObject body) {
    return body.getJsonObject("uplink_message");
  }

  private static JsonObject rx0(JsonObject body) {
    return message(body).getJsonArray("rx_metadata").getJsonObject(0);
  }

  private static Arguments bad(String name, Consumer<JsonObject> mutation, String message) {
    return Arguments.of(name, mutation, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  @DisplayName("a malformed field is rejected with a message naming it")
  void malformed(String name, Consumer<JsonObject> mutation, String message) {
    var body = Fixtures.json("tts-v3-up.json");
    mutation.accept(body);

    assertThatThrownBy(() -> adapter.read(body)).isInstanceOf(InvalidUplinkException.class).hasMessageContaining(message);
  }
}
