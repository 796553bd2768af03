package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class ThingParkTest {
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private final ThingPark adapter = new ThingPark(Clock.fixed(NOW, ZoneOffset.UTC));

  private Uplink uplink(JsonObject body) {
    return ((Incoming.Up) adapter.read(body)).uplink();
  }

  private static JsonObject up(JsonObject body) {
    return body.getJsonObject("DevEUI_uplink");
  }

  @Test
  @DisplayName("a DevEUI_uplink with typed numbers becomes the canonical uplink with every receiving base station")
  void typedNumbers() {
    var uplink = uplink(Fixtures.json("thingpark-uplink.json"));

    assertThat(uplink).isEqualTo(new Uplink("0018b20000000bee", 368, 1, "016700eb", null, "040006cc",
        Instant.parse("2026-11-29T09:16:55.911Z"), "thingpark",
        List.of(new RxInfo("10001273", -84.0, 9.75), new RxInfo("10001288", -109.0, -3.5)), null,
        new TxInfo(868_500_000L, null, 7, null, null, true, true)));
  }

  @Test
  @DisplayName("radio settings in strings are read: DR, SpFact, Frequency in MHz, ADRbit, MType 2 as unconfirmed")
  void radioSettingsAsStrings() {
    var body = Fixtures.json("thingpark-uplink-strings.json");
    up(body).put("MType", "2").put("DR", "5").put("SpFact", "7").put("Frequency", "868.1").put("ADRbit", "0");

    assertThat(uplink(body).tx()).isEqualTo(new TxInfo(868_100_000L, 5, 7, null, null, false, false));
  }

  @Test
  @DisplayName("numbers sent as strings (older ThingPark versions) are read the same way")
  void numbersAsStrings() {
    var uplink = uplink(Fixtures.json("thingpark-uplink-strings.json"));

    assertThat(uplink).isEqualTo(new Uplink("0018b20000000bee", 369, 1, "016700ec", null, "040006cc",
        Instant.parse("2026-11-29T09:17:55.911Z"), "thingpark", List.of(new RxInfo("10001273", -85.0, 9.25)), null,
        new TxInfo(null, null, null, null, null, true, true)));
  }

  @Test
  @DisplayName("encryption is left to the decoder: ThingPark does not say whether payload_hex is end-to-end encrypted")
  void encryptedUnknown() {
    assertThat(uplink(Fixtures.json("thingpark-uplink.json")).encrypted()).isNull();
  }

  @Test
  @DisplayName("a single base station given as an object, or only at the top level, is read")
  void singleBaseStation() {
    var object = Fixtures.json("thingpark-uplink-strings.json");
    up(object).getJsonObject("Lrrs").put("Lrr", new JsonObject().put("Lrrid", "1000ABCD").put("LrrRSSI", "-90.5").put("LrrSNR", "1"));
    var topLevel = Fixtures.json("thingpark-uplink-strings.json");
    up(topLevel).remove("Lrrs");

    assertThat(uplink(object).rx()).containsExactly(new RxInfo("1000abcd", -90.5, 1.0));
    assertThat(uplink(topLevel).rx()).containsExactly(new RxInfo("10001273", -85.0, 9.25));
  }

  @Test
  @DisplayName("omitted FCntUp, FPort, payload and Time read as 0, 0, empty and the gateway's clock")
  void omittedFields() {
    var body = new JsonObject().put("DevEUI_uplink", new JsonObject().put("DevEUI", "0018B20000000BEE"));

    var uplink = uplink(body);

    assertThat(uplink.fCnt()).isZero();
    assertThat(uplink.fPort()).isZero();
    assertThat(uplink.payloadHex()).isEmpty();
    assertThat(uplink.receivedAt()).isEqualTo(NOW);
    assertThat(uplink.rx()).isEmpty();
  }

  @Test
  @DisplayName("other tunnel-interface messages (notifications, locations, downlink reports) are ignored")
  void otherMessages() {
    var body = new JsonObject().put("DevEUI_notification", new JsonObject().put("DevEUI", "0018B20000000BEE"));

    assertThat(adapter.read(body)).isEqualTo(new Incoming.Ignored("DevEUI_notification"));
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        bad("no DevEUI_uplink", b -> b.remove("DevEUI_uplink"), "DevEUI_uplink is missing"),
        bad("DevEUI_uplink an array", b -> b.put("DevEUI_uplink", new io.vertx.core.json.JsonArray()), "DevEUI_uplink must be an object"),
        bad("no DevEUI", b -> up(b).remove("DevEUI"), "DevEUI_uplink.DevEUI is missing"),
        bad("DevEUI too short", b -> up(b).put("DevEUI", "0018B2"), "DevEUI_uplink.DevEUI must be 16 hex digits"),
        bad("FCntUp negative string", b -> up(b).put("FCntUp", "-3"), "DevEUI_uplink.FCntUp must be an unsigned integer"),
        bad("FCntUp decimal string", b -> up(b).put("FCntUp", "36.9"), "DevEUI_uplink.FCntUp must be an unsigned integer"),
        bad("FPort 256 as string", b -> up(b).put("FPort", "256"), "DevEUI_uplink.FPort must be between 0 and 255"),
        bad("payload_hex odd", b -> up(b).put("payload_hex", "016"), "DevEUI_uplink.payload_hex must be hex bytes"),
        bad("payload_hex not hex", b -> up(b).put("payload_hex", "01zz"), "DevEUI_uplink.payload_hex must be hex bytes"),
        bad("Time not a time", b -> up(b).put("Time", "yesterday"), "DevEUI_uplink.Time must be an RFC 3339 time"),
        bad("DevAddr not hex", b -> up(b).put("DevAddr", "040006CX"), "DevEUI_uplink.DevAddr must be 8 hex digits"),
        bad("Lrr a number", b -> up(b).getJsonObject("Lrrs").put("Lrr", 3), "DevEUI_uplink.Lrrs.Lrr must be an array"),
        bad("Lrr without Lrrid", b -> up(b).getJsonObject("Lrrs").getJsonArray("Lrr").getJsonObject(0).remove("Lrrid"),
            "DevEUI_uplink.Lrrs.Lrr[0].Lrrid is missing"),
        bad("LrrRSSI a word", b -> up(b).getJsonObject("Lrrs").getJsonArray("Lrr").getJsonObject(1).put("LrrRSSI", "weak"),
            "DevEUI_uplink.Lrrs.Lrr[1].LrrRSSI must be a number"));
  }

  private static Arguments bad(String name, Consumer<JsonObject> mutation, String message) {
    return Arguments.of(name, mutation, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  @DisplayName("a malformed field is rejected with a message naming it")
  void malformed(String name, Consumer<JsonObject> mutation, String message) {
    var body = Fixtures.json("thingpark-uplink.json");
    mutation.accept(body);

    assertThatThrownBy(() -> adapter.read(body)).isInstanceOf(InvalidUplinkException.class).hasMessageContaining(message);
  }
}
