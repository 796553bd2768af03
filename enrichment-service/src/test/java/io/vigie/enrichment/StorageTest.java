package io.vigie.enrichment;

import static io.vigie.enrichment.Harness.await;
import static io.vigie.enrichment.Harness.decoded;
import static io.vigie.enrichment.Harness.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each stored document knows, and the bulk writer under load. */
@RealElasticsearch
class StorageTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final String PREFIX = Harness.newPrefix("storage");
  private static Harness service;
  private static String esUrl;

  @BeforeAll
  static void start(EmbeddedElasticsearch elasticsearch) {
    esUrl = elasticsearch.url();
    // a loaded CI machine may take more than the default 5 s to store the first 2,000 documents
    service = Harness.start(esUrl, PREFIX, new JsonObject().put("bulk", new JsonObject().put("ackTimeout", 60_000)));
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
  }

  @Test
  @DisplayName("a stored uplink carries its node's attributes, its asset, the device type's name, the best gateway, every gateway and its values by name")
  void enrichedDocument() {
    var devEui = "70b3d57ed0002001";
    service.device(devEui, Harness.PARIS_FRIDGE);
    service.attributes.put("fridge-12", new JsonObject().put("setpoint", 4).put("model", "Liebherr FKv 503"));
    service.running.vertx().eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", "node").put("id", "fridge-12").put("tenant", "acme"));
    var uplink = decoded(devEui, 1, T0, 4.25);
    uplink.put("rx", new JsonArray()
        .add(new JsonObject().put("gatewayId", "gw-far").put("rssi", -118).put("snr", -12.5))
        .add(new JsonObject().put("gatewayId", "gw-near").put("rssi", -71).put("snr", 9.0))
        .add(new JsonObject().put("gatewayId", "gw-mid").put("rssi", -71).put("snr", 3.0)));
    uplink.getJsonArray("measurements").add(new JsonObject().put("name", "battery").put("unit", "V").put("value", 3.61));

    await(service.send(uplink));

    var source = service.source(devEui, 1);
    assertThat(source.getJsonObject("attributes")).isEqualTo(new JsonObject().put("setpoint", 4).put("model", "Liebherr FKv 503"));
    assertThat(source.getJsonObject("asset")).isEqualTo(new JsonObject().put("id", "fridge-12").put("name", "Fridge 12"));
    assertThat(source.getJsonObject("device").getString("typeName")).isEqualTo("Dragino LHT65");
    assertThat(source.getJsonObject("bestRx")).isEqualTo(new JsonObject().put("gatewayId", "gw-near").put("rssi", -71.0).put("snr", 9.0));
    assertThat(source.getInteger("gatewayCount")).isEqualTo(3);
    assertThat(source.getJsonArray("rx")).hasSize(3);
    assertThat(source.getJsonObject("values")).isEqualTo(new JsonObject().put("temperature", 4.25).put("battery", 3.61));
    assertThat(service.count(new JsonObject().put("bool", new JsonObject().put("filter", new JsonArray()
        .add(term("bestRx.gatewayId", "gw-near")).add(term("attributes.model", "Liebherr FKv 503"))
        .add(new JsonObject().put("range", new JsonObject().put("values.temperature", new JsonObject().put("gt", 4.2)))))))).isEqualTo(1);
  }

  @Test
  @DisplayName("each uplink knows the time since the device's previous one and how many frames were lost in between, also after a restart")
  void derivedFields() {
    var devEui = "70b3d57ed0002002";
    service.device(devEui, Harness.PARIS_FRIDGE);

    await(service.send(decoded(devEui, 10, T0, 4.0)));
    await(service.send(decoded(devEui, 11, T0.plusSeconds(600), 4.1)));
    await(service.send(decoded(devEui, 15, T0.plusSeconds(3000), 4.2)));
    await(service.send(decoded(devEui, 11, T0.plusSeconds(600), 4.1)));

    assertThat(service.source(devEui, 10).containsKey("fCntGap")).as("nothing before the first").isFalse();
    assertThat(service.source(devEui, 11).getLong("sincePreviousMs")).isEqualTo(600_000L);
    assertThat(service.source(devEui, 11).getLong("fCntGap")).isZero();
    assertThat(service.source(devEui, 15).getLong("sincePreviousMs")).isEqualTo(2_400_000L);
    assertThat(service.source(devEui, 15).getLong("fCntGap")).as("frames 12, 13 and 14 lost").isEqualTo(3);

    service.refresh();
    try (var restarted = Harness.start(esUrl, PREFIX, new JsonObject())) {
      restarted.device(devEui, Harness.PARIS_FRIDGE);
      await(restarted.send(decoded(devEui, 17, T0.plusSeconds(3600), 4.3)));
    }
    var afterRestart = service.source(devEui, 17);
    assertThat(afterRestart.getLong("sincePreviousMs")).as("seeded from the latest stored uplink").isEqualTo(600_000L);
    assertThat(afterRestart.getLong("fCntGap")).isEqualTo(1);
  }

  @Test
  @DisplayName("2,000 uplinks sent at once are all acknowledged and stored once, in far fewer bulk requests; sent again, all are duplicates")
  void bulkUnderLoad() {
    var requestsBefore = service.metric("vigie_enrichment_bulk_requests_total");
    var uplinks = new ArrayList<JsonObject>();
    for (int device = 0; device < 20; device++) {
      var devEui = String.format("70b3d57ed01%05x", device);
      service.device(devEui, device % 2 == 0 ? Harness.PARIS_FRIDGE : Harness.LYON_FRIDGE);
      for (int fCnt = 1; fCnt <= 100; fCnt++) {
        uplinks.add(decoded(devEui, fCnt, T0.plusSeconds(fCnt * 60L), 3 + fCnt / 50.0));
      }
    }

    var acks = sendAll(uplinks);

    assertThat(acks).hasSize(2000).allSatisfy(ack -> assertThat(ack.getString("status")).isEqualTo("stored"));
    assertThat(new HashSet<>(acks.stream().map(ack -> ack.getString("id")).toList())).hasSize(2000);
    var bulkLoad = new JsonObject().put("prefix", new JsonObject().put("devEui", "70b3d57ed01"));
    assertThat(service.count(bulkLoad)).isEqualTo(2000);
    var requests = service.metric("vigie_enrichment_bulk_requests_total") - requestsBefore;
    assertThat(requests).as("bulk requests for 2,000 documents").isLessThan(200);

    var again = sendAll(uplinks);

    assertThat(again).hasSize(2000).allSatisfy(ack -> assertThat(ack.getString("status")).isEqualTo("duplicate"));
    assertThat(service.count(bulkLoad)).isEqualTo(2000);
  }

  @Test
  @DisplayName("a batch is stored with ONE bulk request and evaluated with ONE measurement.stored request; its fates come in request order: stored, codec-error with the codec's message, duplicate")
  void oneBatch() {
    var devEui = "70b3d57ed0002003";
    service.device(devEui, Harness.PARIS_FRIDGE);
    await(service.send(decoded(devEui, 1, T0, 4.0)));
    var bulksBefore = service.metric("vigie_enrichment_bulk_requests_total");
    var alertsBefore = service.alertRequests.get();
    var broken = decoded(devEui, 3, T0.plusSeconds(120), 4.0).put("measurements", new JsonArray())
        .put("decoded", new JsonObject().put("payloadHex", "0167")).put("errors", new JsonArray().add("cayenne-lpp: truncated frame"));
    var batch = new ArrayList<JsonObject>();
    batch.add(decoded(devEui, 2, T0.plusSeconds(60), 4.1));
    batch.add(broken);
    batch.add(decoded(devEui, 1, T0, 4.0));
    for (int fCnt = 4; fCnt <= 20; fCnt++) batch.add(decoded(devEui, fCnt, T0.plusSeconds(fCnt * 60L), 4.2));

    var fates = await(service.sendBatch(batch));

    assertThat(fates).extracting(fate -> fate.getString("status")).startsWith("stored", "codec-error", "duplicate")
        .hasSize(20).filteredOn("stored"::equals).hasSize(18);
    assertThat(fates).extracting(fate -> fate.getLong("fCnt"))
        .containsExactlyElementsOf(batch.stream().map(uplink -> uplink.getLong("fCnt")).toList());
    assertThat(fates.get(1).getString("reason")).isEqualTo("cayenne-lpp: truncated frame");
    assertThat(service.metric("vigie_enrichment_bulk_requests_total") - bulksBefore).as("bulk requests for the batch").isEqualTo(1);
    assertThat(service.alertRequests.get() - alertsBefore).as("alert requests for the batch").isEqualTo(1);
    assertThat(service.source(devEui, 20).getLong("fCntGap")).as("derived in batch order").isZero();
    assertThat(service.source(devEui, 3).getLong("fCntGap")).isZero();
  }

  private static List<JsonObject> sendAll(List<JsonObject> uplinks) {
    var sent = new ArrayList<Future<JsonObject>>();
    uplinks.forEach(uplink -> sent.add(service.send(uplink)));
    await(Future.all(sent), 120);
    return sent.stream().map(Future::result).toList();
  }
}
