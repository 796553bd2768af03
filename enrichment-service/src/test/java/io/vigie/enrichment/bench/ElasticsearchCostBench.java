package io.vigie.enrichment.bench;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.enrichment.domain.Enrichment;
import io.vigie.simulator.capacity.ProcCpu;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * Elasticsearch's own CPU per stored document, A/B between index mappings and settings: a private Elasticsearch
 * (the {@code embedded} module's), one fresh index per run made from the enrichment's template (changed by the
 * variant), documents built by {@link Enrichment#document} as the e2e benchmark's probes produce them (Cayenne LPP,
 * one temperature on channel 1, 4-level path, one gateway; {@code --values 3} for a three-value device), sent in
 * {@code _bulk} requests of each size at a fixed rate ({@code --rate}, two in flight, as the bulk writer). CPU is the
 * server's {@code utime + stime} from {@code /proc} from the first request (the server quiet) until it is quiet again,
 * at least {@code --settle} seconds after the last answer (its refreshes and merges included); variants are interleaved within each
 * round and the report gives the median and spread over rounds.
 *
 * <p>Not part of the suite. Run from the repository root after {@code ./mvnw install -DskipTests}:
 * <pre>
 * java -cp enrichment-service/target/test-classes:enrichment-service/target/classes:$(cat cp.txt) \
 *   io.vigie.enrichment.bench.ElasticsearchCostBench --rounds 3 --sizes 10,30,100,500 --variants current,flat
 * </pre>
 * ({@code cp.txt}: {@code ./mvnw -pl enrichment-service dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=cp.txt}).
 */
public final class ElasticsearchCostBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The candidates: each changes the template's {@code {"settings","mappings"}}. */
  static final Map<String, UnaryOperator<JsonObject>> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("current", t -> t);
    // measurements as a plain object: the lower bound of any non-nested form with the same fields
    VARIANTS.put("flat", t -> {
      props(t).getJsonObject("measurements").put("type", "object");
      return t;
    });
    // measurements not indexed at all (kept in _source): only values.* searchable
    VARIANTS.put("unindexed", t -> {
      props(t).put("measurements", new JsonObject().put("type", "object").put("enabled", false));
      return t;
    });
    // refresh_interval left unset (template v6): no background refresh on a shard nobody searched for
    // search.idle.after (30 s by default; 1 s here, so that a short run shows the steady state of an unsearched index)
    VARIANTS.put("idle", t -> {
      var index = t.getJsonObject("settings").getJsonObject("index");
      index.remove("refresh_interval");
      index.put("search", new JsonObject().put("idle", new JsonObject().put("after", "1s")));
      return t;
    });
    // id: doc values only (sorted on, never searched); values.*: doc values only
    VARIANTS.put("lean", t -> {
      props(t).put("id", new JsonObject().put("type", "keyword").put("index", false));
      t.getJsonObject("mappings").getJsonArray("dynamic_templates").getJsonObject(0).getJsonObject("values_are_numbers")
          .getJsonObject("mapping").put("index", false);
      return t;
    });
    // names as keyword only (no text field)
    VARIANTS.put("notext", t -> {
      for (var object : List.of("device", "path", "asset")) {
        props(t).getJsonObject(object).getJsonObject("properties")
            .put("name", new JsonObject().put("type", "keyword").put("ignore_above", 256));
      }
      return t;
    });
    // decoded and attributes kept in _source only
    VARIANTS.put("nodecoded", t -> {
      props(t).put("decoded", new JsonObject().put("type", "object").put("enabled", false));
      props(t).put("attributes", new JsonObject().put("type", "object").put("enabled", false));
      return t;
    });
  }

  /** The template changed by a variant, or by several joined with {@code +} ({@code idle+lean}). */
  private static JsonObject variant(String name, JsonObject template) {
    var changed = template.copy();
    for (var part : name.split("\\+")) {
      var change = VARIANTS.get(part);
      if (change == null) throw new IllegalArgumentException("unknown variant " + part + "; known: " + VARIANTS.keySet());
      changed = change.apply(changed);
    }
    return changed;
  }

  private static JsonObject props(JsonObject template) {
    return template.getJsonObject("mappings").getJsonObject("properties");
  }

  private ElasticsearchCostBench() {}

  public static void main(String[] args) throws Exception {
    var options = new LinkedHashMap<String, String>(Map.of("rounds", "3", "sizes", "10,30,100,500", "variants", "current,flat",
        "rate", "4000", "docs", "24000", "settle", "3", "values", "1", "warmups", "4"));
    for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    int rounds = Integer.parseInt(options.get("rounds"));
    var sizes = Arrays.stream(options.get("sizes").split(",")).map(Integer::parseInt).toList();
    var variants = List.of(options.get("variants").split(","));
    int rate = Integer.parseInt(options.get("rate"));
    int docs = Integer.parseInt(options.get("docs"));
    int settle = Integer.parseInt(options.get("settle"));
    int values = Integer.parseInt(options.get("values"));
    var template = new JsonObject(new String(ElasticsearchCostBench.class.getClassLoader()
        .getResourceAsStream("elasticsearch/measurements-template.json").readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("template");

    var work = Path.of("enrichment-service/target/escost-es");
    try (var es = EmbeddedElasticsearch.start(work, 0, System.out::println)) {
      // the CLI and server JVMs and the native controller, not the watchdog shells: as bench/e2e counts them
      var server = ProcCpu.descendants("elasticsearch", ProcessHandle.current().pid(), "elasticsearch");
      System.out.printf("Elasticsearch %s on %s, server pids %s; %d docs per run at %d/s, %d value(s) each%n",
          EmbeddedElasticsearch.VERSION, es.url(), server.pids(), docs, rate, values);
      var results = new LinkedHashMap<String, List<double[]>>();
      // warm-up runs (the server's JIT compiles for about a minute: its compiler threads count in its CPU time)
      int warmups = Integer.parseInt(options.get("warmups"));
      for (int i = 0; i < warmups; i++) {
        var result = run(es.url(), server, "warmup", variant(variants.get(i % variants.size()), template), docs, 100, rate, settle, values, -2 - i);
        System.out.printf(Locale.ROOT, "warm-up %d: %.1f core-µs/doc%n", i, result[0]);
      }
      for (int round = 0; round < rounds; round++) {
        for (int size : sizes) {
          var order = new ArrayList<>(variants);
          if (round % 2 == 1) java.util.Collections.reverse(order);
          for (var variant : order) {
            var result = run(es.url(), server, variant, variant(variant, template), docs, size, rate, settle, values, round);
            results.computeIfAbsent(variant + "@" + size, k -> new ArrayList<>()).add(result);
            System.out.printf(Locale.ROOT, "round %d size %3d %-10s %7.1f core-µs/doc  (%.0f docs/s sent, load %.2f)%n",
                round, size, variant, result[0], result[1], result[3]);
          }
        }
      }
      System.out.println();
      System.out.println("| variant | bulk size | median core-µs/doc | min–max | runs | load avg |");
      System.out.println("|---|---|---|---|---|---|");
      for (var entry : results.entrySet()) {
        var costs = entry.getValue().stream().mapToDouble(r -> r[0]).sorted().toArray();
        var load = entry.getValue().stream().mapToDouble(r -> r[3]).average().orElse(0);
        var parts = entry.getKey().split("@");
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f–%.1f | %d | %.1f |%n", parts[0], parts[1],
            costs[costs.length / 2], costs[0], costs[costs.length - 1], costs.length, load);
      }
    }
  }

  /** {cost per doc in core-µs, documents per second achieved, 0, load average}. */
  private static double[] run(String url, ProcCpu.Group server, String variant, JsonObject template, int docs, int size, int rate,
                              int settle, int values, int round) throws Exception {
    var index = "escost-" + variant.replace('+', '.') + "-" + size + "-" + (round + 10);
    call(url, "DELETE", "/" + index + "?ignore_unavailable=true", null);
    var settings = template.getJsonObject("settings");
    settings.getJsonObject("index").put("number_of_shards", 1).put("number_of_replicas", 0);
    call(url, "PUT", "/" + index, new JsonObject().put("settings", settings).put("mappings", template.getJsonObject("mappings")).encode());
    var bulks = bulks(index, docs, size, values, round);
    quiet(server);
    var inFlight = new Semaphore(2);
    var failures = new ArrayList<String>();
    long cpu0 = server.micros();
    long start = System.nanoTime();
    var sent = new ArrayList<CompletableFuture<?>>();
    for (int i = 0; i < bulks.size(); i++) {
      long due = start + (long) i * size * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      inFlight.acquire();
      var request = HttpRequest.newBuilder(URI.create(url + "/_bulk?filter_path=errors"))
          .header("content-type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(bulks.get(i))).build();
      sent.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, e) -> {
        inFlight.release();
        if (e != null || response.statusCode() != 200 || response.body().contains("true")) {
          synchronized (failures) {
            failures.add(e != null ? e.toString() : response.statusCode() + " " + response.body());
          }
        }
      }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    double sending = (System.nanoTime() - start) / 1e9;
    Thread.sleep(settle * 1000L);
    long used = quiet(server) - cpu0;
    if (!failures.isEmpty()) throw new IllegalStateException(variant + ": " + failures.size() + " bulks failed, e.g. " + failures.get(0));
    var count = new JsonObject(call(url, "GET", "/" + index + "/_count", null)).getLong("count");
    if (count != docs) {
      call(url, "POST", "/" + index + "/_refresh", null);
      count = new JsonObject(call(url, "GET", "/" + index + "/_count", null)).getLong("count");
      if (count != docs) throw new IllegalStateException(index + " holds " + count + " documents, not " + docs);
    }
    call(url, "DELETE", "/" + index, null);
    double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    return new double[] {(double) used / docs, docs / sending, 0, load};
  }

  /** NDJSON bulk bodies of {@code size} documents: the e2e benchmark's probes, 2,000 devices, distinct ids per run. */
  private static List<String> bulks(String index, int docs, int size, int values, int round) {
    var base = Instant.parse("2026-12-06T08:00:00Z").plusSeconds(3600L * (round + 10));
    var bodies = new ArrayList<String>();
    var body = new StringBuilder();
    for (int i = 0; i < docs; i++) {
      int device = i % 2000;
      var devEui = String.format("70b3d57e%08x", 0x26000000 | device);
      var site = List.of("Paris", "Lyon", "Lille", "Nantes").get(device % 4);
      var siteId = "site-" + site.toLowerCase(Locale.ROOT);
      var fridgeId = siteId + "-fridge-" + device;
      var path = List.of(new PathElement("default", "tenant", "Default"), new PathElement(siteId, "site", site),
          new PathElement(siteId + "-kitchen", "room", "Kitchen"), new PathElement(fridgeId, "asset", "Fridge " + device));
      var context = new DeviceContext(devEui, "default", "Fridge " + device + " probe, " + site, "fridge-probe", fridgeId, "ABP",
          new JsonObject().put("id", "fridge-probe").put("name", "Fridge probe (Cayenne LPP)"), path);
      double t = 3.5 + (i % 97) / 10.0;
      var decoded = new JsonObject().put("temperature_1", t);
      var measured = new ArrayList<MeasurementValue>(List.of(new MeasurementValue("temperature", "Cel", t, 1)));
      if (values >= 3) {
        decoded.put("relative_humidity_2", 61.5).put("analog_in_3", 3.61);
        measured.add(new MeasurementValue("humidity", "%RH", 61.5, 2));
        measured.add(new MeasurementValue("battery", "V", 3.61, 3));
      }
      long fCnt = i / 2000 + 1;
      var measurement = new Measurement(devEui, fCnt, 1, base.plusMillis(i / 4), "chirpstack-v4",
          List.of(new RxInfo("b827ebfffe000001", -97.0 - device % 20, 7.5)), decoded, measured, List.of(), List.of(),
          null, null, null, new TxInfo(867_100_000L, 5, 7, 125_000, "4/5", true, false));
      var enriched = Enrichment.enrich(measurement, context);
      var document = Enrichment.document(enriched, context, null,
          new JsonObject().put("sincePreviousMs", 10_000L).put("fCntGap", 0L));
      body.append(new JsonObject().put("create", new JsonObject().put("_index", index).put("_id", enriched.id())).encode())
          .append('\n').append(document.encode()).append('\n');
      if ((i + 1) % size == 0 || i == docs - 1) {
        bodies.add(body.toString());
        body.setLength(0);
      }
    }
    return bodies;
  }

  private static String call(String url, String method, String path, String body) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(url + path)).header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
    return response.body();
  }

  /**
   * Waits until the server is quiet (below 3 % of a core over two half-second windows: its merges done), at most 30 s;
   * returns its CPU time then.
   */
  private static long quiet(ProcCpu.Group server) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    int calm = 0;
    long last = server.micros();
    while (calm < 2 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = server.micros();
      calm = now - last < 15_000 ? calm + 1 : 0;
      last = now;
    }
    return last;
  }
}
