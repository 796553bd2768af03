package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Radio settings written as numbers no radio reports ({@code "1e999999999"} Hz): rounding one to whole Hz used to
 * compute a power of ten with a billion digits — one body kept a core busy for minutes and could exhaust the heap. Each
 * such value is now left unknown at once, and the uplink is read as usual (docs/fuzzing.md; the same bodies are seeds of
 * {@link WebhookReadersFuzzTest} and {@code SemtechUdpFuzzTest}).
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class HugeNumbersTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);

  private static Uplink up(WebhookProvider provider, JsonObject body) {
    return ((Incoming.Up) provider.read(body)).uplink();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e999999999", "1E+999999999", "-1e999999999", "1e-999999999", "868.1e99999", "1e40"})
  @DisplayName("a ChirpStack txInfo.frequency written as an absurd number is left unknown, the uplink still read")
  void chirpStack(String frequency) {
    var body = Fixtures.json("chirpstack-v4-up.json");
    body.getJsonObject("txInfo").put("frequency", frequency);

    var tx = up(new ChirpStackV4(CLOCK), body).tx();

    assertThat(tx.frequencyHz()).isNull();
    assertThat(tx.spreadingFactor()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e999999999", "1e-999999999"})
  @DisplayName("The Things Stack's settings.frequency written as an absurd number is left unknown, the uplink still read")
  void theThingsStack(String frequency) {
    var body = Fixtures.json("tts-v3-up.json");
    body.getJsonObject("uplink_message").getJsonObject("settings").put("frequency", frequency);

    assertThat(up(new TtsV3(CLOCK), body).tx().frequencyHz()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e999999999", "868.1e999999999", "1e-999999999"})
  @DisplayName("a ThingPark Frequency (MHz) written as an absurd number is left unknown, the uplink still read")
  void thingPark(String frequency) {
    var body = Fixtures.json("thingpark-uplink-strings.json");
    body.getJsonObject("DevEUI_uplink").put("Frequency", frequency);

    var uplink = up(new ThingPark(CLOCK), body);

    assertThat(uplink.tx() == null ? null : uplink.tx().frequencyHz()).isNull();
    assertThat(uplink.devEui()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e999999999", "-1e-999999999"})
  @DisplayName("a Semtech rxpk freq (MHz) written as an absurd number is left unknown, the frame still read")
  void semtechUdp(String frequency) {
    var rxpk = Fixtures.json("semtech-udp-push-data.json").getJsonArray("rxpk").getJsonObject(0).put("freq", frequency);

    TxInfo tx = SemtechUdp.received(rxpk, "b827ebfffe000001", CLOCK.instant(), "rxpk[0]").tx();

    assertThat(tx.frequencyHz()).isNull();
    assertThat(tx.spreadingFactor()).isEqualTo(7);
  }
}
