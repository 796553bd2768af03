package io.vigie.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command line of {@link Main}, parsed and checked once. */
public record SimulatorOptions(String url, String apiUrl, String ingestUrl, String ingestToken, String adminUser, String adminPassword, int devices,
                               int firstDevice, double rate, Duration duration, long count, String adapter,
                               int gateways, String mqttUrl, String udpHost, int udpPort, Duration deviceInterval,
                               double silence, long firstFCnt, int maxInFlight, long seed, boolean help) {

  public static final List<String> ADAPTERS = List.of("chirpstack", "ttn", "thingpark", "mqtt-chirpstack", "mqtt-tts", "udp");

  public static final String USAGE = """
      usage: simulator [options]
        --url URL               the platform (default http://localhost:8080)
        --api-url URL           where the fleet is registered: /api/v1 (default --url)
        --ingest-url URL        where the webhooks go: /uplinks/… (default --url); also the default host of
                                --mqtt-url and --udp-host
        --ingest-token SECRET   the integration secret (default $VIGIE_INGEST_TOKEN)
        --admin-user NAME       who registers the fleet (default admin)
        --admin-password PASS   (default $VIGIE_ADMIN_PASSWORD; required: the probes are registered with fresh keys)
        --devices N             probes in the fleet (default 100)
        --first-device N        number of the first probe, for several fleets side by side (default 1)
        --rate R                uplinks per second (default 10)
        --duration D            how long: 90, 90s, 5m, 1h (default 60s, or unlimited with --count)
        --count N               stop after N uplinks
        --adapter A             chirpstack | ttn | thingpark | mqtt-chirpstack | mqtt-tts | udp (default chirpstack)
        --gateways N            gateways hearing every frame (default 1; udp: one PUSH_DATA per gateway)
        --mqtt-url URL          the broker the platform subscribes to (default tcp://<url host>:1883)
        --udp-host HOST         the platform's packet-forwarder endpoint (default the host of --url)
        --udp-port PORT         (default 1700)
        --device-interval D     least time between two uplinks of one probe (default 1s)
        --silence P             per reading, chance a probe goes silent for 5-50 readings (default 0)
        --fcnt-start N|clock    first frame counter (default: clock for network servers, 1 for udp)
        --max-in-flight N       uplinks awaiting their answer, at most (default 256)
        --seed N                randomness of the fridges and silences (default 1)
      """;

  /** Parses {@code args}; {@code env} gives the defaults of the secrets. */
  public static SimulatorOptions parse(String[] args, Map<String, String> env) {
    String url = "http://localhost:8080";
    String apiUrl = null;
    String ingestUrl = null;
    var ingestToken = env.getOrDefault("VIGIE_INGEST_TOKEN", "");
    var adminUser = "admin";
    var adminPassword = env.getOrDefault("VIGIE_ADMIN_PASSWORD", "");
    int devices = 100;
    int firstDevice = 1;
    double rate = 10;
    Duration duration = null;
    long count = 0;
    var adapter = "chirpstack";
    int gateways = 1;
    String mqttUrl = null;
    String udpHost = null;
    int udpPort = 1700;
    var deviceInterval = Duration.ofSeconds(1);
    double silence = 0;
    String fcntStart = null;
    int maxInFlight = 256;
    long seed = 1;
    var help = false;
    for (int i = 0; i < args.length; i++) {
      var name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        help = true;
        continue;
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
      var value = args[++i];
      switch (name) {
        case "--url" -> url = value;
        case "--api-url" -> apiUrl = value;
        case "--ingest-url" -> ingestUrl = value;
        case "--ingest-token" -> ingestToken = value;
        case "--admin-user" -> adminUser = value;
        case "--admin-password" -> adminPassword = value;
        case "--devices" -> devices = (int) integer(name, value, 1, 1_000_000);
        case "--first-device" -> firstDevice = (int) integer(name, value, 1, 0xFFFFFF);
        case "--rate" -> rate = decimal(name, value, 0.001, 1_000_000);
        case "--duration" -> duration = duration(name, value);
        case "--count" -> count = integer(name, value, 1, Long.MAX_VALUE);
        case "--adapter" -> adapter = value.toLowerCase(Locale.ROOT);
        case "--gateways" -> gateways = (int) integer(name, value, 1, 64);
        case "--mqtt-url" -> mqttUrl = value;
        case "--udp-host" -> udpHost = value;
        case "--udp-port" -> udpPort = (int) integer(name, value, 1, 65535);
        case "--device-interval" -> deviceInterval = duration(name, value);
        case "--silence" -> silence = decimal(name, value, 0, 1);
        case "--fcnt-start" -> fcntStart = value;
        case "--max-in-flight" -> maxInFlight = (int) integer(name, value, 1, 100_000);
        case "--seed" -> seed = integer(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (!ADAPTERS.contains(adapter)) throw new IllegalArgumentException("--adapter is one of " + ADAPTERS + ", got " + adapter);
    host("--url", url);
    if (apiUrl == null) apiUrl = url;
    if (ingestUrl == null) ingestUrl = url;
    host("--api-url", apiUrl);
    var host = host("--ingest-url", ingestUrl);
    if (duration == null && count == 0) duration = Duration.ofSeconds(60);
    long firstFCnt;
    if (fcntStart == null) firstFCnt = adapter.equals("udp") ? 1 : FleetOptions.CLOCK;
    else if (fcntStart.equalsIgnoreCase("clock")) firstFCnt = FleetOptions.CLOCK;
    else firstFCnt = integer("--fcnt-start", fcntStart, 0, 0xFFFFFFFFL);
    return new SimulatorOptions(url, apiUrl, ingestUrl, ingestToken, adminUser, adminPassword, devices, firstDevice, rate, duration, count,
        adapter, gateways, mqttUrl != null ? mqttUrl : "tcp://" + host + ":1883", udpHost != null ? udpHost : host, udpPort,
        deviceInterval, silence, firstFCnt, maxInFlight, seed, help);
  }

  private static String host(String name, String url) {
    var host = URI.create(url).getHost();
    if (host == null) throw new IllegalArgumentException(name + " must be like http://host:8080, got " + url);
    return host;
  }

  public FleetOptions fleetOptions() {
    return new FleetOptions(firstDevice, silence, 7, seed, firstFCnt);
  }

  public LoadSettings settings() {
    return new LoadSettings(rate, duration, count, deviceInterval, maxInFlight, Duration.ofSeconds(30));
  }

  /** Things that will not work as the user hopes, said before the run. */
  public List<String> warnings() {
    var warnings = new java.util.ArrayList<String>();
    var max = LoadGenerator.maxRate(devices, deviceInterval);
    if (rate > max) {
      warnings.add(String.format(Locale.ROOT, "%d probes sending at most once every %d ms make at most %.0f uplinks/s:"
          + " add --devices or shorten --device-interval to reach %.0f/s", devices, deviceInterval.toMillis(), max, rate));
    }
    if (firstFCnt == FleetOptions.CLOCK && deviceInterval.toMillis() < 1000) {
      warnings.add("counters from the clock assume one uplink per probe per second at most: with --device-interval below"
          + " 1s, a later run may reuse counters (refused as replays); give --fcnt-start or --first-device");
    }
    if (adapter.equals("udp") && firstFCnt > 65535) {
      warnings.add("a raw frame of a device the platform never heard carries only 16 counter bits: counters above 65535"
          + " fail the MIC on first contact over udp");
    }
    return warnings;
  }

  public static long integer(String name, String value, long min, long max) {
    try {
      var n = Long.parseLong(value.trim());
      if (n < min || n > max) throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got " + value);
    }
  }

  private static double decimal(String name, String value, double min, double max) {
    try {
      var n = Double.parseDouble(value.trim());
      if (!(n >= min && n <= max)) throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got " + value);
    }
  }

  /** {@code 90} (seconds), {@code 90s}, {@code 500ms}, {@code 5m}, {@code 1h}. */
  public static Duration duration(String name, String value) {
    var text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      if (text.endsWith("s")) return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      if (text.endsWith("m")) return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      if (text.endsWith("h")) return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is a duration like 90, 90s, 500ms, 5m or 1h, got " + value);
    }
  }
}
