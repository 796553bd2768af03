package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

class ChirpStackV4Test {
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private final ChirpStackV4 adapter = new ChirpStackV4(Clock.fixed(NOW, ZoneOffset.UTC));

  static JsonObject fixture(String name) {
    try (var in = ChirpStackV4Test.class.getResourceAsStream("/payload/" + name)) {
      if (in == null) throw new IllegalStateException("missing fixture " + name);
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("an up event becomes the canonical uplink with every field")
  void upEvent() {
    var uplink = adapter.uplink(fixture("chirpstack-v4-up.json"));

    assertThat(uplink).isEqualTo(new Uplink("0101010101010101", 7, 1, "016700eb", false, "00189440",
        Instant.parse("2026-11-29T09:34:15.775023242Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5), new RxInfo("0016c001f153a14d", -98.0, -2.25)), null,
        new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", false, false)));
    assertThat(uplink.id()).isEqualTo("0101010101010101-00000007");
  }

  @Test
  @DisplayName("the radio settings are kept: dr, txInfo frequency and LoRa modulation; adr and confirmed when set")
  void radioSettings() {
    var body = fixture("chirpstack-v4-up.json").put("adr", true).put("confirmed", true).put("dr", "3");

    assertThat(adapter.uplink(body).tx()).isEqualTo(new TxInfo(867_100_000L, 3, 7, 125_000, "4/5", true, true));
  }

  @Test
  @DisplayName("the first frame's omitted dr and adr read as DR0 and false; no modulation leaves SF, bandwidth, coding rate unknown")
  void radioSettingsOmitted() {
    assertThat(adapter.uplink(fixture("chirpstack-v4-up-first-frame.json")).tx())
        .isEqualTo(new TxInfo(868_100_000L, 0, null, null, null, false, false));
  }

  @Test
  @DisplayName("unreadable radio settings are left out rather than refusing the uplink")
  void radioSettingsUnreadable() {
    var body = fixture("chirpstack-v4-up.json").put("dr", "fast").put("txInfo", new JsonObject().put("frequency", "x"));

    var uplink = adapter.uplink(body);

    assertThat(uplink.fCnt()).isEqualTo(7);
    assertThat(uplink.tx()).isEqualTo(new TxInfo(null, null, null, null, null, false, false));
  }

  @Test
  @DisplayName("a frequency too large for a long is left out, not wrapped around into another frequency (found by GatewayEdgeFuzzTest)")
  void frequencyPastLong() {
    var body = fixture("chirpstack-v4-up.json");
    body.getJsonObject("txInfo").put("frequency", "1e30");

    assertThat(adapter.uplink(body).tx().frequencyHz()).isNull();
  }

  @Test
  @DisplayName("the first frame, whose zero fCnt ChirpStack leaves out, has fCnt 0")
  void firstFrame() {
    var uplink = adapter.uplink(fixture("chirpstack-v4-up-first-frame.json"));

    assertThat(uplink).isEqualTo(new Uplink("0101010101010101", 0, 1, "01670032", false, "00189440",
        Instant.parse("2026-11-29T09:30:00.100Z"), "chirpstack-v4",
        List.of(new RxInfo("0016c001f153a14c", -40.0, 9.0)), null,
        new TxInfo(868_100_000L, 0, null, null, null, false, false)));
    assertThat(uplink.id()).isEqualTo("0101010101010101-00000000");
  }

  @Test
  @DisplayName("DevEUIs in upper case or with separators are normalised")
  void devEuiNormalised() {
    var body = fixture("chirpstack-v4-up.json");
    body.getJsonObject("deviceInfo").put("devEui", "70-B3-D5-7E-D0-05-A1-B2");

    assertThat(adapter.uplink(body).devEui()).isEqualTo("70b3d57ed005a1b2");
  }

  @Test
  @DisplayName("a missing time, fPort, data and rxInfo default to now, 0, an empty payload and no gateways")
  void minimalBody() {
    var body = new JsonObject().put("deviceInfo", new JsonObject().put("devEui", "0101010101010101"));

    var uplink = adapter.uplink(body);

    assertThat(uplink.receivedAt()).isEqualTo(NOW);
    assertThat(uplink.fPort()).isZero();
    assertThat(uplink.fCnt()).isZero();
    assertThat(uplink.payloadHex()).isEmpty();
    assertThat(uplink.rx()).isEmpty();
    assertThat(uplink.devAddr()).isNull();
  }

  @Test
  @DisplayName("times with a non-UTC offset are converted to the same instant")
  void offsetTime() {
    var body = fixture("chirpstack-v4-up.json").put("time", "2026-11-29T10:34:15.5+01:00");

    assertThat(adapter.uplink(body).receivedAt()).isEqualTo(Instant.parse("2026-11-29T09:34:15.500Z"));
  }

  @Test
  @DisplayName("numbers sent as strings (protobuf JSON allows it) are read")
  void numericStrings() {
    var body = fixture("chirpstack-v4-up.json").put("fCnt", "4294967295").put("fPort", "2");

    var uplink = adapter.uplink(body);

    assertThat(uplink.fCnt()).isEqualTo(4294967295L);
    assertThat(uplink.fPort()).isEqualTo(2);
  }

  @Test
  @DisplayName("a payload still encrypted (join-server context present) is marked encrypted")
  void joinServerContext() {
    var body = fixture("chirpstack-v4-up.json")
        .put("joinServerContext", new JsonObject().put("sessionKeyId", "AQID"));

    assertThat(adapter.uplink(body).encrypted()).isTrue();
    var snake = fixture("chirpstack-v4-up.json").put("join_server_context", new JsonObject());
    assertThat(adapter.uplink(snake).encrypted()).isTrue();
  }

  @Test
  @DisplayName("URL-safe base64 and missing padding are accepted in data")
  void lenientBase64() {
    var body = fixture("chirpstack-v4-up.json").put("data", "-_8"); // fb ff

    assertThat(adapter.uplink(body).payloadHex()).isEqualTo("fbff");
  }

  @Test
  @DisplayName("on MQTT, only the up topic is read; other events of a wider subscription are ignored")
  void mqttTopics() {
    assertThat(adapter.ignoredByTopic("application/17c8/device/0101010101010101/event/up")).isNull();
    assertThat(adapter.ignoredByTopic("application/17c8/device/0101010101010101/event/join")).isEqualTo("join");
    assertThat(adapter.ignoredByTopic("application/17c8/device/0101010101010101/event/status")).isEqualTo("status");
    assertThat(adapter.ignoredByTopic("application/17c8/device/0101010101010101/event/x-custom")).isEqualTo("other");
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        bad("missing deviceInfo", b -> b.remove("deviceInfo"), "deviceInfo is missing"),
        bad("deviceInfo not an object", b -> b.put("deviceInfo", "x"), "deviceInfo must be an object"),
        bad("missing devEui", b -> b.getJsonObject("deviceInfo").remove("devEui"), "deviceInfo.devEui is missing"),
        bad("devEui not hex", b -> b.getJsonObject("deviceInfo").put("devEui", "zz01010101010101"),
            "deviceInfo.devEui must be 16 hex digits"),
        bad("devEui too short", b -> b.getJsonObject("deviceInfo").put("devEui", "0101"),
            "deviceInfo.devEui must be 16 hex digits"),
        bad("devEui a number", b -> b.getJsonObject("deviceInfo").put("devEui", 12), "deviceInfo.devEui must be a string"),
        bad("fCnt abc", b -> b.put("fCnt", "abc"), "fCnt must be an unsigned integer, got 'abc'"),
        bad("fCnt negative", b -> b.put("fCnt", -1), "fCnt must be between 0 and 4294967295"),
        bad("fCnt above 32 bits", b -> b.put("fCnt", 4294967296L), "fCnt must be between 0 and 4294967295"),
        bad("fCnt fractional", b -> b.put("fCnt", 1.5), "fCnt must be an unsigned integer"),
        bad("fCnt boolean", b -> b.put("fCnt", true), "fCnt must be an unsigned integer"),
        bad("fPort 256", b -> b.put("fPort", 256), "fPort must be between 0 and 255"),
        bad("data not base64", b -> b.put("data", "not base64!"), "data is not valid base64"),
        bad("data a number", b -> b.put("data", 42), "data must be a string"),
        bad("time not RFC 3339", b -> b.put("time", "yesterday"), "time must be an RFC 3339 time"),
        bad("devAddr not hex", b -> b.put("devAddr", "0018944g"), "devAddr must be 8 hex digits"),
        bad("rxInfo not an array", b -> b.put("rxInfo", new JsonObject()), "rxInfo must be an array"),
        bad("rxInfo item not an object", b -> b.put("rxInfo", new JsonArray().add(1)), "rxInfo[0] must be an object"),
        bad("rxInfo without gatewayId", b -> b.getJsonArray("rxInfo").getJsonObject(1).remove("gatewayId"),
            "rxInfo[1].gatewayId is missing"),
        bad("rssi not a number", b -> b.getJsonArray("rxInfo").getJsonObject(0).put("rssi", "loud"),
            "rxInfo[0].rssi must be a number"));
  }

  private static Arguments bad(String name, Consumer<JsonObject> mutation, String message) {
    return Arguments.of(name, mutation, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  @DisplayName("a malformed field is rejected with a message naming it")
  void malformed(String name, Consumer<JsonObject> mutation, String message) {
    var body = fixture("chirpstack-v4-up.json");
    mutation.accept(body);

    assertThatThrownBy(() -> adapter.uplink(body))
        .isInstanceOf(InvalidUplinkException.class)
        .hasMessageContaining(message);
  }
}
