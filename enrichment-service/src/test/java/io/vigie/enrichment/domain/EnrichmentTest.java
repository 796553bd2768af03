package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
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
}
