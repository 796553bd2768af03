package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonShapeTest {
  private final ChirpStackV4 chirpStack = new ChirpStackV4(Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC));

  static Stream<UnaryOperator<JsonObject>> bodies() {
    return Stream.of(
        body -> body,
        body -> ChirpStackV4Test.fixture("chirpstack-v4-up-first-frame.json"),
        body -> body.put("adr", true).put("confirmed", "true").put("dr", "3"),
        body -> body.put("joinServerContext", new JsonObject().put("sessionKeyId", "01").put("appSKey", new JsonObject())),
        body -> body.put("fCnt", "12").put("fPort", 7.0),
        body -> body.put("fCnt", -1),
        body -> body.put("deviceInfo", "0101010101010101"),
        body -> body.put("rxInfo", new JsonArray().add("gw").add(new JsonArray().add(1))),
        body -> body.put("rxInfo", new JsonObject().put("gatewayId", "0016c001f153a14c")),
        body -> body.put("txInfo", new JsonObject().put("frequency", "868.1").put("modulation", "lora")),
        body -> body.put("time", 12).putNull("data"),
        body -> body.put("deviceInfo", new JsonObject().put("devEui", new JsonArray().add("01")).put("tags", new JsonObject())));
  }

  @ParameterizedTest
  @MethodSource("bodies")
  @DisplayName("a ChirpStack body read through the adapter's shape gives the same uplink, or the same refusal, as the whole body")
  void sameAsWhole(UnaryOperator<JsonObject> change) {
    var body = change.apply(ChirpStackV4Test.fixture("chirpstack-v4-up.json")).toBuffer();

    assertThat(outcome(body, chirpStack.shape())).isEqualTo(outcome(body, null));
  }

  @Test
  @DisplayName("the fields the adapter does not read are skipped, not built: only the read ones are in the object")
  void onlyReadFields() {
    var body = JsonBodies.object(ChirpStackV4Test.fixture("chirpstack-v4-up.json").toBuffer(), "an up event", chirpStack.shape());

    assertThat(body.fieldNames()).doesNotContain("deduplicationId").contains("deviceInfo", "fCnt", "rxInfo", "txInfo");
    assertThat(body.getJsonObject("deviceInfo").fieldNames()).containsExactly("devEui");
    assertThat(body.getJsonArray("rxInfo").getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("gatewayId", "rssi", "snr");
  }

  @Test
  @DisplayName("a body that is not JSON is refused even when the broken part is a field the adapter does not read, or comes after the object")
  void malformedStillRefused() {
    for (var text : new String[] {
        "{\"deviceInfo\":{\"devEui\":\"0101010101010101\",\"tags\":{\"a\":[1,2}}}",
        "{\"fCnt\":1,\"deduplicationId\":\"unterminated}",
        "{\"fCnt\":1} {}",
        "[1,2]"}) {
      assertThatThrownBy(() -> JsonBodies.object(Buffer.buffer(text), "an up event", chirpStack.shape()))
          .isInstanceOf(InvalidUplinkException.class)
          .hasMessageStartingWith("the body ");
    }
  }

  private Object outcome(Buffer body, JsonShape shape) {
    try {
      return chirpStack.uplink(JsonBodies.object(body, "a chirpstack-v4 uplink", shape));
    } catch (InvalidUplinkException e) {
      return e.getMessage();
    }
  }
}
