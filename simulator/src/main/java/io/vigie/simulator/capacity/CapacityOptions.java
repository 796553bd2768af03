package io.vigie.simulator.capacity;

import static io.vigie.simulator.SimulatorOptions.integer;

import io.vigie.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code bench/e2e}. Without {@code --url} the benchmark starts the embedded platform itself
 * ({@code --platform-classpath} and {@code --es-home}, which the script passes).
 *
 * @param steps the rates to send, uplinks/s, one measured step each
 * @param warmup sending at the step's rate before its measured window
 * @param firstWarmup the first step's warm-up (a cold JVM compiles the hot paths)
 * @param latencyDevices how many devices the live latency client subscribes to
 * @param bulkSize documents per raw {@code _bulk} request: the platform's {@code elasticsearch.bulk.maxDocs}
 * @param rawDocs documents bulked raw
 * @param timeout how long a request may wait for a connection, and then for its answer
 * @param results the Markdown file whose {@code ## End-to-end capacity} section the report replaces, or null
 */
public record CapacityOptions(String url, String adminUser, String adminPassword, String ingestToken, String esUrl,
                              String indexPrefix, List<Integer> steps, Duration duration, Duration warmup,
                              Duration firstWarmup, int devices, int connections, int lanes, int latencyDevices,
                              int bulkSize, int rawDocs, boolean jfr, boolean quick, Path results,
                              String platformClasspath, String esHome, long platformPid, long redisPid, long esPid,
                              Duration drainTimeout, Duration timeout, List<String> commandLine) {

  public static final String USAGE = """
      usage: bench/e2e [options]          the end-to-end capacity benchmark (bench/README.md)
        --quick                 a reduced run: steps 200,400 of 10 s, 200 devices (CI, smoke)
        --steps R1,R2,…         uplinks/s of each step (default 500,1000,2000,4000,8000)
        --duration D            measured window of each step (default 30s)
        --warmup D              sending before each step's window (default 10s; the first step 30s)
        --devices N             ABP probes, Cayenne LPP (default 2000)
        --connections N         HTTP/1.1 keep-alive connections of the generator (default 256)
        --lanes N               generator event loops (default 2)
        --latency-devices N     devices whose live pushes time accepted → stored (default 100, at most 200)
        --bulk-size N           documents per raw _bulk request (default 500, the platform's bulk.maxDocs)
        --raw-docs N            documents bulked raw (default 20000)
        --timeout D             a request waits at most this for a connection, then for its answer (default 30s)
        --jfr                   record a JFR profile of the platform JVM during the steps
        --results FILE          replace the "## End-to-end capacity" section of FILE with the report
        --url URL               a running platform instead of the embedded one; then also:
        --admin-password P --ingest-token T --es-url URL [--index-prefix vigie-measurements]
        [--platform-pid P] [--redis-pid P] [--es-pid P]   (found by port and among the platform's children otherwise)
      """;

  public static CapacityOptions parse(String[] args, Map<String, String> env) {
    var quick = Arrays.asList(args).contains("--quick");
    String url = null;
    String adminPassword = env.getOrDefault("VIGIE_ADMIN_PASSWORD", "");
    String ingestToken = env.getOrDefault("VIGIE_INGEST_TOKEN", "");
    String esUrl = null;
    String prefix = "vigie-measurements";
    List<Integer> steps = quick ? List.of(200, 400) : List.of(500, 1000, 2000, 4000, 8000);
    var duration = Duration.ofSeconds(quick ? 10 : 30);
    var warmup = Duration.ofSeconds(quick ? 3 : 10);
    Duration firstWarmup = null;
    int devices = quick ? 200 : 2000;
    int connections = 256;
    int lanes = 2;
    int latencyDevices = 100;
    int bulkSize = 500;
    int rawDocs = quick ? 2000 : 20_000;
    boolean jfr = false;
    Path results = null;
    String classpath = null;
    String esHome = null;
    long platformPid = 0;
    long redisPid = 0;
    long esPid = 0;
    var timeout = Duration.ofSeconds(30);
    for (int i = 0; i < args.length; i++) {
      var name = args[i];
      if (name.equals("--quick")) continue;
      if (name.equals("--jfr")) {
        jfr = true;
        continue;
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
      var value = args[++i];
      switch (name) {
        case "--url" -> url = value.replaceAll("/+$", "");
        case "--admin-password" -> adminPassword = value;
        case "--ingest-token" -> ingestToken = value;
        case "--es-url" -> esUrl = value.replaceAll("/+$", "");
        case "--index-prefix" -> prefix = value;
        case "--steps" -> steps = rates(value);
        case "--duration" -> duration = SimulatorOptions.duration(name, value);
        case "--warmup" -> warmup = SimulatorOptions.duration(name, value);
        case "--first-warmup" -> firstWarmup = SimulatorOptions.duration(name, value);
        case "--devices" -> devices = (int) integer(name, value, 1, 100_000);
        case "--connections" -> connections = (int) integer(name, value, 1, 10_000);
        case "--lanes" -> lanes = (int) integer(name, value, 1, 64);
        case "--latency-devices" -> latencyDevices = (int) integer(name, value, 1, 200);
        case "--bulk-size" -> bulkSize = (int) integer(name, value, 1, 100_000);
        case "--raw-docs" -> rawDocs = (int) integer(name, value, 1, 1_000_000);
        case "--results" -> results = Path.of(value);
        case "--timeout" -> timeout = SimulatorOptions.duration(name, value);
        case "--platform-classpath" -> classpath = value;
        case "--es-home" -> esHome = value;
        case "--platform-pid" -> platformPid = integer(name, value, 1, Long.MAX_VALUE);
        case "--redis-pid" -> redisPid = integer(name, value, 1, Long.MAX_VALUE);
        case "--es-pid" -> esPid = integer(name, value, 1, Long.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (duration.isZero()) throw new IllegalArgumentException("--duration must be above 0");
    if (url == null && (classpath == null || esHome == null)) {
      throw new IllegalArgumentException("without --url, --platform-classpath and --es-home say how to start the platform");
    }
    if (url != null && (adminPassword.isEmpty() || ingestToken.isEmpty() || esUrl == null)) {
      throw new IllegalArgumentException("with --url, give --admin-password, --ingest-token and --es-url");
    }
    if (firstWarmup == null) firstWarmup = quick ? Duration.ofSeconds(5) : warmup.multipliedBy(3);
    var shown = new ArrayList<String>();
    for (int i = 0; i < args.length; i++) {
      var secret = List.of("--admin-password", "--ingest-token").contains(args[i]);
      var internal = List.of("--platform-classpath", "--es-home", "--results").contains(args[i]);
      if ((secret || internal) && i + 1 < args.length) {
        if (secret) shown.addAll(List.of(args[i], "…"));
        i++;
      } else {
        shown.add(args[i]);
      }
    }
    return new CapacityOptions(url, "admin", adminPassword, ingestToken, esUrl, prefix, steps, duration, warmup, firstWarmup,
        devices, connections, lanes, Math.min(latencyDevices, devices), bulkSize, rawDocs, jfr, quick, results, classpath,
        esHome, platformPid, redisPid, esPid, Duration.ofSeconds(120), timeout, List.copyOf(shown));
  }

  private static List<Integer> rates(String value) {
    var rates = new ArrayList<Integer>();
    for (var part : value.split(",")) rates.add((int) integer("--steps", part, 1, 1_000_000));
    return List.copyOf(rates);
  }
}
