package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnrichmentTest {
  private static final List<PathElement> PATH = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"), new PathElement("fridge-12", "asset", "Fridge 12"));

  private final Measurement decoded = new Measurement("70b3d57ed005a1b2", 42, 2, Instant.parse("2026-11-29T10:15:02.123Z"),
      "chirpstack-v4", List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5)), new JsonObject().put("temperature", 4.25),
      List.of(new MeasurementValue("temperature", "Cel", 4.25)), List.of(), null, null, null);

  @Test
  @DisplayName("the stored measurement carries the device's tenant, name, type, node and path, and keeps what was decoded")
  void addsRegistryContext() {
    var context = new DeviceContext("70b3d57ed005a1b2", "acme", "Fridge 12 probe", "lht65", "fridge-12", "ABP", null, PATH);

    var json = Enrichment.enrich(decoded, context).toJson();

    assertThat(json.getString("id")).isEqualTo("70b3d57ed005a1b2-0000002a");
    assertThat(json.getString("tenant")).isEqualTo("acme");
    assertThat(json.getJsonObject("device")).isEqualTo(new JsonObject()
        .put("name", "Fridge 12 probe").put("type", "lht65").put("nodeId", "fridge-12"));
    assertThat(json.getJsonArray("path").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly("acme", "site-paris", "fridge-12");
    assertThat(json.getString("receivedAt")).isEqualTo("2026-11-29T10:15:02.123Z");
    assertThat(json.getJsonObject("decoded")).isEqualTo(new JsonObject().put("temperature", 4.25));
    assertThat(json.getJsonArray("measurements")).hasSize(1);
  }

  @Test
  @DisplayName("what the registry does not know of a device is left out rather than stored as null")
  void leavesOutUnknownFields() {
    var context = new DeviceContext("70b3d57ed005a1b2", "acme", null, null, "fridge-12", null, null, PATH);

    assertThat(Enrichment.enrich(decoded, context).toJson().getJsonObject("device"))
        .isEqualTo(new JsonObject().put("nodeId", "fridge-12"));
  }

  @Test
  @DisplayName("the document adds the node's attributes, the asset, the type's name, the best gateway, values by name and derived fields")
  void document() {
    var withGateways = new Measurement("70b3d57ed005a1b2", 42, 2, Instant.parse("2026-11-29T10:15:02.123Z"), "ttn-v3",
        List.of(new RxInfo("gw-a", -110.0, 2.0), new RxInfo("gw-b", null, null), new RxInfo("gw-c", -80.0, -1.0),
            new RxInfo("gw-d", -80.0, 4.0)),
        new JsonObject(), List.of(new MeasurementValue("temperature", "Cel", 4.25), new MeasurementValue("temperature", "Cel", 9.0),
            new MeasurementValue("light.level", "lx", 120), new MeasurementValue("humidity", "%RH", Double.NaN)),
        List.of(), null, null, null);
    var context = new DeviceContext("70b3d57ed005a1b2", "acme", "Probe", "lht65", "fridge-12", "ABP",
        new JsonObject().put("id", "lht65").put("name", "Dragino LHT65"), PATH);
    var enriched = Enrichment.enrich(withGateways, context);

    var json = Enrichment.document(enriched, context, new JsonObject().put("setpoint", 4),
        new JsonObject().put("fCntGap", 2L).put("sincePreviousMs", 600_000L));

    assertThat(json.getJsonObject("device").getString("typeName")).isEqualTo("Dragino LHT65");
    assertThat(json.getJsonObject("asset")).isEqualTo(new JsonObject().put("id", "fridge-12").put("name", "Fridge 12"));
    assertThat(json.getJsonObject("attributes")).isEqualTo(new JsonObject().put("setpoint", 4));
    assertThat(json.getJsonObject("bestRx").getString("gatewayId")).isEqualTo("gw-d");
    assertThat(json.getInteger("gatewayCount")).isEqualTo(4);
    assertThat(json.getJsonObject("values")).isEqualTo(new JsonObject().put("temperature", 4.25).put("light_level", 120.0));
    assertThat(json.getJsonArray("measurements")).as("NaN cannot be stored").hasSize(3);
    assertThat(json.getJsonArray("errors").getString(0)).contains("humidity is not a finite number");
    assertThat(json.getLong("fCntGap")).isEqualTo(2);
    assertThat(json.getLong("sincePreviousMs")).isEqualTo(600_000);
    assertThat(new JsonObject(json.encode())).as("valid JSON, parsed back").isEqualTo(json);
  }

  @Test
  @DisplayName("channels, radio settings and warnings are kept; values holds each channel under <name>_<channel> too")
  void channelsTxAndWarnings() {
    var tx = new TxInfo(868_100_000L, 5, 7, 125_000, "4/5", true, false);
    var twoProbes = new Measurement("70b3d57ed005a1b2", 42, 1, Instant.parse("2026-11-29T10:15:02.123Z"), "chirpstack-v4",
        List.of(), new JsonObject(), List.of(new MeasurementValue("temperature", "Cel", 4.25, 1),
            new MeasurementValue("temperature", "Cel", -18.5, 2)), List.of(), List.of("activation mismatch: …"),
        null, null, null, tx);
    var context = new DeviceContext("70b3d57ed005a1b2", "acme", "Probe", "lht65", "fridge-12", "ABP", null, PATH);

    var json = Enrichment.document(Enrichment.enrich(twoProbes, context), context, null, null);

    assertThat(json.getJsonObject("values")).isEqualTo(new JsonObject()
        .put("temperature", 4.25).put("temperature_1", 4.25).put("temperature_2", -18.5));
    assertThat(json.getJsonArray("measurements").getJsonObject(1).getInteger("channel")).isEqualTo(2);
    assertThat(json.getJsonObject("tx")).isEqualTo(tx.toJson());
    assertThat(json.getJsonArray("warnings").getString(0)).isEqualTo("activation mismatch: …");
  }
}
