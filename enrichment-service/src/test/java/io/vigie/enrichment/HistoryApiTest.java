package io.vigie.enrichment;

import static io.vigie.enrichment.Harness.await;
import static io.vigie.enrichment.Harness.decoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.common.Addresses;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The history API over HTTP with tokens, against documents the service stored itself. Expected values are computed
 * here from what the test sent, never read back from Elasticsearch.
 *
 * <p>Data: {@code P1} (Paris, fridge-12) a temperature and a battery value every 5 minutes on 2026-11-29 from 03:00 to
 * 08:55 UTC, plus two temperatures on 2026-10-31; {@code P2} three uplinks in the kitchen, then moved to the cellar,
 * two more; {@code P3} (Paris) 2,100 uplinks one a minute from 2026-11-01; {@code L1} (Lyon) a few uplinks;
 * {@code EMPTY} (Paris) nothing.
 */
@RealElasticsearch
class HistoryApiTest {
  private static final String P1 = "70b3d57ed0004001";
  private static final String P2 = "70b3d57ed0004002";
  private static final String P3 = "70b3d57ed0004004";
  private static final String L1 = "70b3d57ed0004003";
  private static final String EMPTY = "70b3d57ed0004005";
  /** Lyon: one temperature without channel (stored before channels), then four uplinks with LPP channels 1 and 2. */
  private static final String TWO_CHANNELS = "70b3d57ed0004006";
  private static final Instant DAY = Instant.parse("2026-11-29T00:00:00Z");
  private static final String WHOLE_DAY = "&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";

  private static Harness service;
  /** P1's temperatures by time, as sent. */
  private static final Map<Instant, Double> temperatures = new LinkedHashMap<>();
  private static final Map<Instant, Double> batteries = new LinkedHashMap<>();
  private static String paris;
  private static String lyon;
  private static String kitchen;
  private static String cellar;
  private static String admin;
  private static String globex;

  @BeforeAll
  static void seed(EmbeddedElasticsearch elasticsearch) {
    service = Harness.start(elasticsearch.url(), Harness.newPrefix("history"), new JsonObject()
        .put("bulk", new JsonObject().put("ackTimeout", 60_000)));
    paris = service.token("paris-viewer", "acme", "site-paris");
    lyon = service.token("lyon-viewer", "acme", "site-lyon");
    kitchen = service.token("kitchen-viewer", "acme", "kitchen-1");
    cellar = service.token("cellar-viewer", "acme", "cellar");
    admin = service.token("admin", "acme", "acme");
    globex = service.token("globex-admin", "globex", "globex");
    service.device(P1, Harness.PARIS_FRIDGE);
    service.device(P2, Harness.PARIS_FRIDGE);
    service.device(P3, Harness.PARIS_FRIDGE);
    service.device(L1, Harness.LYON_FRIDGE);
    service.device(EMPTY, Harness.PARIS_FRIDGE);
    service.device(TWO_CHANNELS, Harness.LYON_FRIDGE);

    var random = new Random(42);
    var uplinks = new ArrayList<JsonObject>();
    uplinks.add(decoded(P1, 1, Instant.parse("2026-10-31T23:50:00Z"), 3.5));
    uplinks.add(decoded(P1, 2, Instant.parse("2026-10-31T23:55:00Z"), 4.5));
    for (int i = 0; i < 72; i++) {
      var t = DAY.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(5L * i));
      double temperature = 2 + random.nextInt(600) / 100.0;
      double battery = 3 + random.nextInt(70) / 100.0;
      temperatures.put(t, temperature);
      batteries.put(t, battery);
      var uplink = decoded(P1, 10 + i, t, temperature);
      uplink.getJsonArray("measurements").add(new JsonObject().put("name", "battery").put("unit", "V").put("value", battery));
      uplinks.add(uplink);
    }
    for (int i = 0; i < 2100; i++) uplinks.add(decoded(P3, i + 1, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * i), 5 + i % 10));
    for (int i = 0; i < 4; i++) uplinks.add(decoded(L1, i + 1, DAY.plus(Duration.ofHours(4 + i)), 7.0 + i));
    for (int i = 0; i < 3; i++) uplinks.add(decoded(P2, i + 1, DAY.plus(Duration.ofHours(1)).plusSeconds(60L * i), 1.0 + i));
    uplinks.add(decoded(TWO_CHANNELS, 1, DAY.plus(Duration.ofHours(1)), 9.0));
    for (int i = 0; i < 4; i++) {
      var uplink = decoded(TWO_CHANNELS, 2 + i, DAY.plus(Duration.ofHours(2)).plusSeconds(60L * i), 1.0 + i);
      uplink.getJsonArray("measurements").getJsonObject(0).put("channel", 1);
      uplink.getJsonArray("measurements").add(new JsonObject().put("name", "temperature").put("unit", "Cel")
          .put("value", -20.0 - i).put("channel", 2));
      uplinks.add(uplink);
    }
    var sent = new ArrayList<Future<JsonObject>>();
    uplinks.forEach(uplink -> sent.add(service.send(uplink)));
    await(Future.all(sent), 120);

    service.device(P2, Harness.PARIS_CELLAR);
    service.running.vertx().eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", "device").put("id", P2).put("tenant", "acme"));
    await(service.send(decoded(P2, 4, DAY.plus(Duration.ofHours(2)), 12.0)));
    await(service.send(decoded(P2, 5, DAY.plus(Duration.ofHours(2)).plusSeconds(60), 12.5)));
    service.refresh();
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
  }

  @Test
  @DisplayName("raw points of a measurement come in time order with their values, without a next cursor when they all fit")
  void rawPoints() {
    var body = ok("/api/v1/history/devices/" + P1 + "?name=temperature" + WHOLE_DAY, paris);

    assertThat(times(body.getJsonArray("points"))).containsExactlyElementsOf(temperatures.keySet());
    assertThat(values(body.getJsonArray("points"))).containsExactlyElementsOf(temperatures.values());
    assertThat(body.containsKey("next")).isFalse();
    var battery = ok("/api/v1/history/devices/" + P1 + "?name=battery" + WHOLE_DAY, paris);
    assertThat(values(battery.getJsonArray("points"))).containsExactlyElementsOf(batteries.values());
  }

  @Test
  @DisplayName("raw points page with an opaque cursor: every point once, in order, and the last page says there is no more")
  void paging() {
    var seen = new ArrayList<Instant>();
    String cursor = null;
    int pages = 0;
    do {
      var body = ok("/api/v1/history/devices/" + P1 + "?name=temperature&limit=8" + WHOLE_DAY
          + (cursor == null ? "" : "&cursor=" + cursor), paris);
      assertThat(body.getJsonArray("points").size()).isLessThanOrEqualTo(8);
      seen.addAll(times(body.getJsonArray("points")));
      cursor = body.getString("next");
      pages++;
    } while (cursor != null && pages < 20);

    assertThat(pages).isEqualTo(9);
    assertThat(seen).containsExactlyElementsOf(temperatures.keySet());
  }

  @Test
  @DisplayName("15-minute buckets give avg, min, max and count equal to those computed from the points sent, and empty buckets are shown")
  void fifteenMinuteBuckets() {
    var buckets = ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-11-29T00:00:00Z&to=2026-11-29T12:00:00Z"
        + "&interval=15m&agg=avg,min,max", paris).getJsonArray("buckets");

    assertThat(buckets).hasSize(48);
    for (int i = 0; i < 48; i++) {
      var bucket = buckets.getJsonObject(i);
      var start = DAY.plus(Duration.ofMinutes(15L * i));
      assertThat(bucket.getString("t")).isEqualTo(start.toString());
      assertStats(bucket, in(temperatures, start, Duration.ofMinutes(15)));
    }
    assertThat(buckets.getJsonObject(0)).isEqualTo(new JsonObject().put("t", DAY.toString())
        .put("avg", null).put("min", null).put("max", null).put("count", 0));
  }

  @Test
  @DisplayName("hourly battery buckets and a single requested aggregation match the points sent")
  void hourlyBuckets() {
    var buckets = ok("/api/v1/history/devices/" + P1 + "?name=battery&interval=1h&agg=max" + WHOLE_DAY, paris).getJsonArray("buckets");

    assertThat(buckets).hasSize(24);
    for (int i = 0; i < 24; i++) {
      var bucket = buckets.getJsonObject(i);
      var expected = in(batteries, DAY.plus(Duration.ofHours(i)), Duration.ofHours(1));
      assertThat(bucket.fieldNames()).containsExactlyInAnyOrder("t", "max", "count");
      assertThat(bucket.getLong("count")).isEqualTo(expected.size());
      if (!expected.isEmpty()) {
        assertThat(bucket.getDouble("max")).isCloseTo(expected.stream().mapToDouble(d -> d).max().orElseThrow(), within(1e-9));
      }
    }
  }

  @Test
  @DisplayName("just under 10,000 buckets are served, every one of them")
  void manyBuckets() {
    var buckets = ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-11-22T08:00:00Z&to=2026-11-29T06:00:00Z"
        + "&interval=1m&agg=avg", paris).getJsonArray("buckets");

    assertThat(buckets).hasSize(9_960);
    var filled = buckets.stream().map(JsonObject.class::cast).filter(b -> b.getLong("count") > 0).toList();
    assertThat(filled).hasSize(temperatures.keySet().stream().filter(t -> t.isBefore(Instant.parse("2026-11-29T06:00:00Z"))).toList().size());
  }

  @Test
  @DisplayName("calendar buckets: months from the 1st and weeks from Monday, across monthly indices")
  void calendarBuckets() {
    var months = ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z"
        + "&interval=1M", admin).getJsonArray("buckets");
    assertThat(months).hasSize(2);
    assertThat(months.getJsonObject(0).getString("t")).isEqualTo("2026-10-01T00:00:00Z");
    assertStats(months.getJsonObject(0), List.of(3.5, 4.5));
    assertThat(months.getJsonObject(1).getString("t")).isEqualTo("2026-11-01T00:00:00Z");
    assertStats(months.getJsonObject(1), List.copyOf(temperatures.values()));

    var weeks = ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-11-20&to=2026-12-02&interval=1w", admin)
        .getJsonArray("buckets");
    assertThat(weeks.stream().map(w -> ((JsonObject) w).getString("t")))
        .containsExactly("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z");
    assertStats(weeks.getJsonObject(1), List.copyOf(temperatures.values()));
    assertThat(weeks.getJsonObject(0).getLong("count")).isZero();
  }

  @Test
  @DisplayName("the CSV export streams t,name,unit,value rows of one measurement, or of all of them, over several pages")
  void csv() {
    var response = service.get("/api/v1/history/devices/" + P1 + ".csv?name=temperature" + WHOLE_DAY, paris);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(response.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    var lines = response.bodyAsString().split("\r\n");
    assertThat(lines[0]).isEqualTo("t,name,unit,value,channel");
    var expected = new ArrayList<String>();
    temperatures.forEach((t, v) -> expected.add(t + ",temperature,Cel," + CsvNumbers.plain(v) + ","));
    assertThat(List.of(lines).subList(1, lines.length)).containsExactlyElementsOf(expected);

    var all = service.get("/api/v1/history/devices/" + P1 + ".csv?" + WHOLE_DAY.substring(1), paris).bodyAsString().split("\r\n");
    assertThat(all).hasSize(1 + 72 * 2);
    assertThat(all[2]).startsWith(temperatures.keySet().iterator().next() + ",battery,V,");

    var big = service.get("/api/v1/history/devices/" + P3 + ".csv?name=temperature&from=2026-11-01&to=2026-11-03", paris)
        .bodyAsString().split("\r\n");
    assertThat(big).as("2,100 rows: more than one page of 2,000").hasSize(2101);
    assertThat(big[2100]).isEqualTo(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * 2099) + ",temperature,Cel,14,");
  }

  @Test
  @DisplayName("a device with two temperature channels: channel=2 reads that sensor; without channel, the lowest channel and the values stored without one")
  void channels() {
    var second = ok("/api/v1/history/devices/" + TWO_CHANNELS + "?name=temperature&channel=2" + WHOLE_DAY, lyon);
    assertThat(values(second.getJsonArray("points"))).containsExactly(-20.0, -21.0, -22.0, -23.0);
    assertThat(second.getJsonArray("points").getJsonObject(0).getInteger("channel")).isEqualTo(2);

    var first = ok("/api/v1/history/devices/" + TWO_CHANNELS + "?name=temperature" + WHOLE_DAY, lyon);
    assertThat(values(first.getJsonArray("points"))).as("one series, never two values at one time")
        .containsExactly(9.0, 1.0, 2.0, 3.0, 4.0);
    assertThat(first.getJsonArray("points").getJsonObject(0).containsKey("channel")).isFalse();
    assertThat(first.getJsonArray("points").getJsonObject(1).getInteger("channel")).isEqualTo(1);

    var daily = ok("/api/v1/history/devices/" + TWO_CHANNELS + "?name=temperature&channel=2&interval=1d" + WHOLE_DAY, lyon)
        .getJsonArray("buckets").getJsonObject(0);
    assertThat(daily.getLong("count")).isEqualTo(4);
    assertThat(daily.getDouble("min")).isEqualTo(-23.0);
    assertThat(daily.getDouble("max")).isEqualTo(-20.0);
    var mixed = ok("/api/v1/history/devices/" + TWO_CHANNELS + "?name=temperature&interval=1d" + WHOLE_DAY, lyon)
        .getJsonArray("buckets").getJsonObject(0);
    assertThat(mixed.getLong("count")).isEqualTo(5);
    assertThat(mixed.getDouble("min")).as("channel 2 is not mixed in").isEqualTo(1.0);

    var csv = service.get("/api/v1/history/devices/" + TWO_CHANNELS + ".csv?name=temperature&channel=2" + WHOLE_DAY, lyon)
        .bodyAsString().split("\r\n");
    assertThat(csv[1]).isEqualTo(DAY.plus(Duration.ofHours(2)) + ",temperature,Cel,-20,2");
    assertThat(service.get("/api/v1/history/devices/" + TWO_CHANNELS + "?name=temperature&channel=7" + WHOLE_DAY, lyon)
        .bodyAsJsonObject().getJsonArray("points")).isEmpty();
  }

  @Test
  @DisplayName("latest values of a subtree: every device below the node with its latest uplink, a moved device only under its new node")
  void latest() {
    var site = ok("/api/v1/history/nodes/site-paris/latest", paris);
    assertThat(devEuis(site)).containsExactly(P1, P2, P3);
    var p1 = site.getJsonArray("devices").getJsonObject(0);
    var lastTime = new ArrayList<>(temperatures.keySet()).get(71);
    assertThat(p1.getString("t")).isEqualTo(lastTime.toString());
    assertThat(p1.getJsonArray("measurements")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("name", "temperature").put("unit", "Cel").put("value", temperatures.get(lastTime)))
        .add(new JsonObject().put("name", "battery").put("unit", "V").put("value", batteries.get(lastTime))));
    assertThat(p1.getJsonObject("device").getString("name")).isEqualTo("Probe 4001");

    assertThat(devEuis(ok("/api/v1/history/nodes/fridge-12/latest", paris))).as("P2 moved out").containsExactly(P1, P3);
    var inCellar = ok("/api/v1/history/nodes/cellar/latest", paris);
    assertThat(devEuis(inCellar)).containsExactly(P2);
    assertThat(inCellar.getJsonArray("devices").getJsonObject(0).getJsonArray("measurements").getJsonObject(0).getDouble("value"))
        .isEqualTo(12.5);
    assertThat(devEuis(ok("/api/v1/history/nodes/acme/latest", admin))).containsExactly(P1, P2, L1, P3, TWO_CHANNELS);
  }

  @Test
  @DisplayName("a device or node out of the caller's scopes or tenant answers 404 like an unknown one; without a token, 401")
  void scopeRefusals() {
    var unknown = service.get("/api/v1/history/devices/70b3d57ed00fffff?name=temperature", paris);
    assertThat(unknown.statusCode()).isEqualTo(404);

    for (var refused : List.of(
        service.get("/api/v1/history/devices/" + L1 + "?name=temperature", paris),
        service.get("/api/v1/history/devices/" + L1 + ".csv?name=temperature", paris),
        service.get("/api/v1/history/devices/" + L1 + "?name=temperature&interval=1h", paris),
        service.get("/api/v1/history/devices/" + P1 + "?name=temperature", lyon),
        service.get("/api/v1/history/devices/" + P1 + "?name=temperature", globex),
        service.get("/api/v1/history/devices/" + P2 + "?name=temperature", kitchen))) {
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    }
    for (var node : List.of("site-lyon", "lyon-cold", "fridge-lyon", "globex", "nowhere")) {
      assertThat(service.get("/api/v1/history/nodes/" + node + "/latest", paris).statusCode()).as(node).isEqualTo(404);
    }
    assertThat(service.get("/api/v1/history/nodes/site-paris/latest", kitchen).statusCode()).isEqualTo(404);
    assertThat(service.get("/api/v1/history/devices/" + P1 + "?name=temperature", null).statusCode()).isEqualTo(401);
    assertThat(service.get("/api/v1/history/nodes/site-paris/latest", null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a moved device shows a reader scoped to its new place only what was stored there")
  void historyFollowsScopes() {
    var all = ok("/api/v1/history/devices/" + P2 + "?name=temperature" + WHOLE_DAY, paris);
    assertThat(values(all.getJsonArray("points"))).containsExactly(1.0, 2.0, 3.0, 12.0, 12.5);

    var cellarOnly = ok("/api/v1/history/devices/" + P2 + "?name=temperature" + WHOLE_DAY, cellar);
    assertThat(values(cellarOnly.getJsonArray("points"))).containsExactly(12.0, 12.5);
  }

  @Test
  @DisplayName("bad parameters answer 400 with the reason")
  void badParameters() {
    var device = "/api/v1/history/devices/" + P1;
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(device + "?name=temperature&from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z", "must be before");
    cases.put(device + "?name=temperature&from=yesterday", "RFC 3339");
    cases.put(device + "?name=temprature" + WHOLE_DAY, "has no measurement 'temprature'; it has battery, temperature");
    cases.put(device + "?from=2026-11-29", "name is required");
    cases.put(device + "?name=temperature&interval=0m", "interval must look like");
    cases.put(device + "?name=temperature&interval=5s", "interval must look like");
    cases.put(device + "?name=temperature&interval=2M", "only 1w and 1M");
    cases.put(device + "?name=temperature&interval=45d", "longer than a month");
    cases.put(device + "?name=temperature&interval=1m&from=2026-01-01&to=2027-01-01", "more than 10000");
    cases.put(device + "?name=temperature&interval=1h&agg=median", "agg must list");
    cases.put(device + "?name=temperature&agg=avg", "agg needs an interval");
    cases.put(device + "?name=temperature&limit=0", "limit must be");
    cases.put(device + "?name=temperature&limit=10001", "limit must be");
    cases.put(device + "?name=temperature&cursor=bm90IGEgY3Vyc29y", "cursor is not one this API gave");
    cases.put(device + ".csv?name=temperature&interval=1h", "CSV export gives raw points");
    cases.put("/api/v1/history/devices/not-a-eui?name=temperature", "16 hex digits");
    cases.put("/api/v1/history/nodes/site-paris/latest?from=soon", "RFC 3339");
    cases.put("/api/v1/history/devices/" + P1 + "?name=temperature&channel=two", "channel must be an integer from 0 to 255");
    cases.put("/api/v1/history/devices/" + P1 + ".csv?channel=2", "channel needs a name");
    cases.forEach((path, reason) -> {
      var response = service.get(path, paris);
      assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(response.bodyAsJsonObject().getString("message")).as(path).contains(reason);
    });
  }

  @Test
  @DisplayName("a known measurement with nothing in the range, or a device with no history yet, answers empty rather than 400")
  void emptyAnswers() {
    assertThat(ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-11-27&to=2026-11-28", paris)
        .getJsonArray("points")).isEmpty();
    assertThat(ok("/api/v1/history/devices/" + P1 + "?name=battery&from=2026-11-27&to=2026-11-28&interval=6h", paris)
        .getJsonArray("buckets").stream().map(b -> ((JsonObject) b).getLong("count"))).containsExactly(0L, 0L, 0L, 0L);
    assertThat(ok("/api/v1/history/devices/" + EMPTY + "?name=temperature", paris).getJsonArray("points")).isEmpty();
    var offset = URLEncoder.encode("2026-11-29T04:00:00+01:00", StandardCharsets.UTF_8);
    assertThat(times(ok("/api/v1/history/devices/" + P1 + "?name=temperature&from=2026-11-29T00:00:00Z&to=" + offset, paris)
        .getJsonArray("points"))).as("until 03:00 UTC, excluded").isEmpty();
  }

  // --- expectations computed from what was sent

  private static List<Double> in(Map<Instant, Double> series, Instant start, Duration width) {
    var end = start.plus(width);
    return series.entrySet().stream().filter(e -> !e.getKey().isBefore(start) && e.getKey().isBefore(end))
        .map(Map.Entry::getValue).toList();
  }

  private static void assertStats(JsonObject bucket, List<Double> expected) {
    assertThat(bucket.getLong("count")).as(bucket.encode()).isEqualTo(expected.size());
    if (expected.isEmpty()) {
      assertThat(bucket.getValue("avg")).isNull();
      assertThat(bucket.getValue("min")).isNull();
      assertThat(bucket.getValue("max")).isNull();
      return;
    }
    var stats = expected.stream().mapToDouble(d -> d).summaryStatistics();
    assertThat(bucket.getDouble("avg")).as(bucket.encode()).isCloseTo(stats.getAverage(), within(1e-9));
    assertThat(bucket.getDouble("min")).isCloseTo(stats.getMin(), within(1e-9));
    assertThat(bucket.getDouble("max")).isCloseTo(stats.getMax(), within(1e-9));
  }

  private static JsonObject ok(String path, String token) {
    HttpResponse<Buffer> response = service.get(path, token);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<Instant> times(JsonArray points) {
    return points.stream().map(p -> Instant.parse(((JsonObject) p).getString("t"))).toList();
  }

  private static List<Double> values(JsonArray points) {
    return points.stream().map(p -> ((JsonObject) p).getDouble("value")).toList();
  }

  private static List<String> devEuis(JsonObject latest) {
    return latest.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("devEui")).toList();
  }

  /** How the CSV writes a number: plain decimal, no trailing zeros. */
  private static final class CsvNumbers {
    static String plain(double value) {
      return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
  }
}
