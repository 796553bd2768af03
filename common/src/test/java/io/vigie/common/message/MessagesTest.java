package io.vigie.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Canonical messages")
class MessagesTest {

  @Test
  @DisplayName("the uplink id is the DevEUI and the 32-bit counter in 8 hex digits, as in the blueprint")
  void uplinkId() {
    assertThat(MessageIds.uplinkId("70b3d57ed005a1b2", 42)).isEqualTo("70b3d57ed005a1b2-0000002a");
    assertThat(MessageIds.uplinkId("70b3d57ed005a1b2", 0xFFFFFFFFL)).isEqualTo("70b3d57ed005a1b2-ffffffff");
  }

  @Test
  @DisplayName("DevEUIs are accepted in any case and with separators, and refused when not 8 bytes of hex")
  void devEui() {
    assertThat(MessageIds.normalizeDevEui("70-B3-D5-7E-D0-05-A1-B2")).isEqualTo("70b3d57ed005a1b2");
    assertThat(MessageIds.normalizeDevEui("70:b3:d5:7e:d0:05:a1:b2")).isEqualTo("70b3d57ed005a1b2");
    assertThatThrownBy(() -> MessageIds.normalizeDevEui("70b3d57ed005a1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageIds.normalizeDevEui("zzb3d57ed005a1b2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageIds.normalizeDevEui(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an enriched measurement has the blueprint's JSON shape and survives the trip through JSON")
  void measurementJson() {
    var uplink = new Uplink("70b3d57ed005a1b2", 42, 2, "0167002a", false, "00189440",
        Instant.parse("2026-11-29T10:15:02.123Z"), "chirpstack-v4", List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5)));
    var measurement = Measurement.decoded(uplink, new JsonObject().put("temperature_1", 4.25),
            List.of(new MeasurementValue("temperature", "Cel", 4.25)), List.of())
        .enriched("acme", new JsonObject().put("name", "Fridge 12 probe").put("type", "lht65"),
            List.of(new PathElement("acme", "tenant", "ACME"), new PathElement("site-paris", "site", "Paris")));
    var json = measurement.toJson();
    assertThat(json.getString("id")).isEqualTo("70b3d57ed005a1b2-0000002a");
    assertThat(json.getString("receivedAt")).isEqualTo("2026-11-29T10:15:02.123Z");
    assertThat(json.getJsonArray("rx").getJsonObject(0).getString("gatewayId")).isEqualTo("b827ebfffe000001");
    assertThat(json.getJsonArray("measurements").getJsonObject(0).getString("unit")).isEqualTo("Cel");
    assertThat(json.getJsonArray("path").getJsonObject(1).getString("kind")).isEqualTo("site");
    assertThat(json.containsKey("errors")).isFalse();
    assertThat(Measurement.fromJson(new JsonObject(json.encode()))).isEqualTo(measurement);
    assertThat(Uplink.fromJson(new JsonObject(uplink.toJson().encode()))).isEqualTo(uplink);
  }

  @Test
  @DisplayName("an uplink's text written straight from the record is byte for byte its JSON object encoded: every field, none of the optional ones, escapes, odd doubles, a null gateway")
  void uplinkText() {
    var at = Instant.parse("2026-11-29T10:15:02.123456789Z");
    var full = new Uplink("70b3d57ed005a1b2", 0xFFFFFFFFL, 0, "0167002a", true, "00189440", at, "semtech-udp\"é\u2028",
        List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5), new RxInfo(null, 0.1 + 0.2, null), new RxInfo("g", null, -1e-7)),
        "40a1b2c3d4", new TxInfo(868_100_000L, 5, 7, 125_000, "4/5", false, true));
    var bare = new Uplink("70b3d57ed005a1b2", 0, null, null, null, null, at, "thingpark", null);
    var someTx = full.withRx(List.of()).withPayload("", false);
    var partialTx = new Uplink("70b3d57ed005a1b2", 7, 1, "00", null, null, at, "ttn-v3", List.of(), null,
        new TxInfo(null, null, 12, null, null, true, null));
    for (var uplink : List.of(full, bare, someTx, partialTx)) {
      assertThat(uplink.encode()).isEqualTo(uplink.toJson().encode());
      assertThat(Uplink.fromJson(new JsonObject(uplink.encode()))).isEqualTo(uplink);
    }
  }

  @Test
  @DisplayName("radio settings and channels travel from the uplink to the measurement, and are left out of the JSON when unknown")
  void txAndChannels() {
    var tx = new TxInfo(868_100_000L, null, 7, 125_000, "4/5", null, true);
    var uplink = new Uplink("70b3d57ed005a1b2", 42, 1, "016700eb026700d2", false, null,
        Instant.parse("2026-11-29T10:15:02.123Z"), "thingpark", List.of(), null, tx);
    var measurement = Measurement.decoded(uplink, new JsonObject(), List.of(new MeasurementValue("temperature", "Cel", 23.5, 1),
        new MeasurementValue("temperature", "Cel", 21.0, 2)), List.of()).warned(List.of("activation mismatch"));

    assertThat(uplink.toJson().getJsonObject("tx")).isEqualTo(new JsonObject().put("frequencyHz", 868_100_000L)
        .put("spreadingFactor", 7).put("bandwidthHz", 125_000).put("codingRate", "4/5").put("confirmed", true));
    assertThat(Uplink.fromJson(new JsonObject(uplink.toJson().encode()))).isEqualTo(uplink);
    assertThat(measurement.tx()).isEqualTo(tx);
    assertThat(measurement.toJson().getJsonArray("measurements").getJsonObject(1).getInteger("channel")).isEqualTo(2);
    assertThat(Measurement.fromJson(new JsonObject(measurement.toJson().encode()))).isEqualTo(measurement);
    var plain = new Uplink("70b3d57ed005a1b2", 43, 1, "", false, null, Instant.parse("2026-11-29T10:15:02.123Z"), "tts-v3",
        List.of(), null, new TxInfo(null, null, null, null, null, null, null));
    assertThat(plain.tx()).as("nothing known is no tx info").isNull();
    assertThat(plain.toJson().containsKey("tx")).isFalse();
    assertThat(new MeasurementValue("battery", "V", 3.6).toJson().containsKey("channel")).isFalse();
  }
}
