package io.vigie.enrichment;

import static io.vigie.enrichment.Harness.await;
import static io.vigie.enrichment.Harness.decoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A deployment upgraded in the middle of its history: the tenant's alias covers a month indexed by an earlier version
 * (the index made from template version 5, whose settings and mapping are kept in the test resources) and a month
 * indexed from the current template. Every history route reads both as one.
 */
@RealElasticsearch
class MixedMappingsTest {
  private static final String PROBE = "70b3d57ed0007001";
  private static final Instant OCTOBER = Instant.parse("2026-10-31T22:00:00Z");
  private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  @DisplayName("an alias over a month of the version-5 mapping and a month of the current one: points, buckets, channels, names and latest values span both, and the old month gets the default refresh")
  void oldAndNewMonths(EmbeddedElasticsearch elasticsearch) throws IOException, InterruptedException {
    var prefix = Harness.newPrefix("mixed");
    var old = prefix + "-acme-2026.10";
    var v5 = version5();
    var body = new JsonObject().put("settings", v5.getJsonObject("settings")).put("mappings", v5.getJsonObject("mappings"))
        .put("aliases", new JsonObject().put(prefix + "-acme", new JsonObject()));
    // made before the service starts, as by the version that ran before the upgrade
    var created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + old))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

    var service = Harness.start(elasticsearch.url(), prefix, new JsonObject());
    try {
      service.device(PROBE, Harness.PARIS_FRIDGE);
      var admin = service.token("admin", "acme", "acme");
      var sent = new ArrayList<Future<JsonObject>>();
      // four uplinks in each month: two probes (channels 1 and 2) and a battery value
      for (int i = 0; i < 8; i++) {
        var t = (i < 4 ? OCTOBER : NOVEMBER).plusSeconds(600L * (i % 4));
        var uplink = decoded(PROBE, i + 1, t, 4.0 + i);
        var values = uplink.getJsonArray("measurements");
        values.getJsonObject(0).put("channel", 1);
        values.add(new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", -18.0 - i).put("channel", 2));
        values.add(new JsonObject().put("name", "battery").put("unit", "V").put("value", 3.0 + i / 10.0));
        sent.add(service.send(uplink));
      }
      await(Future.all(sent), 60);
      service.refresh();
      assertThat(service.indices()).containsExactlyInAnyOrder(old, prefix + "-acme-2026.11");
      var oldSettings = service.es(HttpMethod.GET, "/" + old + "/_settings", null).bodyAsJsonObject()
          .getJsonObject(old).getJsonObject("settings").getJsonObject("index");
      assertThat(oldSettings.containsKey("refresh_interval")).as("version 5's 1s is reset: " + oldSettings.encode()).isFalse();

      var range = "&from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z";
      var points = get(service, "/api/v1/history/devices/" + PROBE + "?name=temperature" + range, admin).getJsonArray("points");
      assertThat(values(points)).as("channel 1, the lowest, in both months").containsExactly(4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0);
      var second = get(service, "/api/v1/history/devices/" + PROBE + "?name=temperature&channel=2" + range, admin).getJsonArray("points");
      assertThat(values(second)).containsExactly(-18.0, -19.0, -20.0, -21.0, -22.0, -23.0, -24.0, -25.0);

      var buckets = get(service, "/api/v1/history/devices/" + PROBE + "?name=temperature&interval=1d" + range, admin)
          .getJsonArray("buckets");
      assertThat(buckets).hasSize(2);
      assertThat(buckets.getJsonObject(0).getLong("count")).isEqualTo(4);
      assertThat(buckets.getJsonObject(0).getDouble("avg")).isCloseTo(5.5, within(1e-9));
      assertThat(buckets.getJsonObject(1).getLong("count")).isEqualTo(4);
      assertThat(buckets.getJsonObject(1).getDouble("min")).isEqualTo(8.0);
      assertThat(buckets.getJsonObject(1).getDouble("max")).isEqualTo(11.0);

      var unknown = service.get("/api/v1/history/devices/" + PROBE + "?name=temprature" + range, admin);
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.bodyAsString()).as("the names of both months").contains("temperature").contains("battery");

      var csv = service.get("/api/v1/history/devices/" + PROBE + ".csv?name=battery" + range, admin);
      assertThat(csv.bodyAsString().lines().skip(1).count()).isEqualTo(8);

      var latest = get(service, "/api/v1/history/nodes/fridge-12/latest?from=2026-10-01T00:00:00Z", admin).getJsonArray("devices");
      assertThat(latest).hasSize(1);
      assertThat(latest.getJsonObject(0).getLong("fCnt")).isEqualTo(8);
    } finally {
      service.close();
    }
  }

  /** Settings and mappings of an index made from template version 5 (refresh_interval 1s). */
  private static JsonObject version5() throws IOException {
    try (InputStream in = MixedMappingsTest.class.getClassLoader().getResourceAsStream("elasticsearch/measurements-template-v5.json")) {
      var template = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("template");
      template.getJsonObject("settings").getJsonObject("index").put("number_of_shards", 1).put("number_of_replicas", 0);
      return template;
    }
  }

  private static JsonObject get(Harness service, String path, String token) {
    var response = service.get(path, token);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<Double> values(JsonArray points) {
    return points.stream().map(p -> ((JsonObject) p).getDouble("value")).toList();
  }
}
