package io.vigie.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.simulator.sender.Outcome;
import io.vigie.simulator.sender.UplinkSender;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of simulated fridge probes, ABP devices with random session keys. Registers its sites, rooms, fridges
 * (assets), a Cayenne LPP device type and one probe per fridge through the public API — idempotent: what exists is
 * kept, and an existing probe gets this fleet's session keys ({@code PATCH}) — then sends rounds of readings (one per
 * probe) through a sender, ChirpStack v4 HTTP by default. {@link LoadGenerator} sends at a rate instead.
 */
public final class Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  private static final String[] SITES = {"Paris", "Lyon", "Lille", "Nantes"};
  public static final String DEVICE_TYPE = "lpp-fridge-probe";
  /** Registration requests in parallel. */
  private static final int PARALLEL = 8;

  private final Vertx vertx;
  private final String baseUrl;
  private final String ingestToken;
  private final FleetOptions options;
  private final WebClient client;
  private final SecureRandom keys = new SecureRandom();
  private final List<Probe> probes = new ArrayList<>();
  /** Site id → name, of the sites the probes are in. */
  private final Map<String, String> sites = new LinkedHashMap<>();
  private final Gateways gateways = Gateways.of(1);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private UplinkSender roundSender;

  public Fleet(Vertx vertx, String baseUrl, String ingestToken) {
    this(vertx, baseUrl, ingestToken, FleetOptions.defaults());
  }

  public Fleet(Vertx vertx, String baseUrl, String ingestToken, FleetOptions options) {
    this.vertx = vertx;
    this.baseUrl = baseUrl;
    this.ingestToken = ingestToken;
    this.options = options;
    var uri = URI.create(baseUrl);
    var ssl = "https".equalsIgnoreCase(uri.getScheme());
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost())
        .setDefaultPort(uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80).setSsl(ssl));
  }

  public List<Probe> probes() {
    return List.copyOf(probes);
  }

  /**
   * Makes {@code size} probes (once: a second call with the same size keeps their keys and counters) and registers
   * them, logged in as {@code username}.
   */
  public Future<Void> register(String username, String password, int size) {
    if (probes.size() != size) make(size);
    return login(username, password)
        .compose(token -> put(token, "/api/v1/device-types/" + DEVICE_TYPE, new JsonObject().put("name", "Fridge probe (Cayenne LPP)")
                .put("codec", new JsonObject().put("kind", "cayenne-lpp")))
            .compose(x -> registerSites(token))
            .compose(x -> registerProbes(token, 0)));
  }

  /** Logs in through the public API; the access token (a JWT). */
  public Future<String> login(String username, String password) {
    return client.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("grant_type", "password").put("username", username).put("password", password))
        .compose(response -> expect(response, 200, "log in as " + username))
        .map(response -> response.bodyAsJsonObject().getString("access_token"));
  }

  private void make(int size) {
    probes.clear();
    sites.clear();
    var firstFCnt = options.resolvedFirstFCnt();
    for (int i = 0; i < size; i++) {
      var number = options.firstDevice() + i;
      var site = SITES[i % SITES.length];
      var siteId = "site-" + site.toLowerCase(Locale.ROOT);
      sites.putIfAbsent(siteId, site);
      var fridgeId = siteId + "-fridge-" + number;
      var appSKey = new byte[16];
      var nwkSKey = new byte[16];
      keys.nextBytes(appSKey);
      keys.nextBytes(nwkSKey);
      var failing = options.failingEvery() > 0 && number % options.failingEvery() == 0;
      probes.add(new Probe(String.format(Locale.ROOT, "70b3d57ed0%06x", number),
          "Fridge " + number + " probe, " + site, siteId, fridgeId, 0x26000000 | number, appSKey, nwkSKey,
          new FridgeModel(4.0, failing, seed(1, number)),
          new Silence(options.silenceProbability(), 5, 50, seed(2, number)), firstFCnt));
    }
  }

  /**
   * A well-mixed seed per probe and purpose: {@link java.util.Random}s seeded with neighbouring numbers start with
   * nearly the same values, which would open every fridge door and silence every probe at the same reading.
   */
  private long seed(int purpose, int number) {
    return new java.util.SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + purpose * 0x632BE59BD9B4E019L + number)
        .nextLong();
  }

  private Future<Void> registerSites(String token) {
    Future<Void> chain = Future.succeededFuture();
    for (var site : sites.entrySet()) {
      chain = chain
          .compose(x -> create(token, node(site.getKey(), "default", "site", site.getValue())))
          .compose(x -> create(token, node(site.getKey() + "-kitchen", site.getKey(), "room", "Kitchen")));
    }
    return chain;
  }

  /** Probes in batches of {@link #PARALLEL}: each its fridge, then itself. */
  private Future<Void> registerProbes(String token, int from) {
    if (from >= probes.size()) return Future.succeededFuture();
    var batch = probes.subList(from, Math.min(probes.size(), from + PARALLEL)).stream()
        .map(probe -> create(token, node(probe.fridgeId(), probe.siteId() + "-kitchen", "asset",
                "Fridge " + probe.fridgeId().substring(probe.fridgeId().lastIndexOf('-') + 1)))
            .compose(x -> registerProbe(token, probe)))
        .toList();
    return Future.all(batch).compose(x -> registerProbes(token, from + PARALLEL));
  }

  /** Creates the device; when it exists already, gives it this fleet's session (new keys) and place. */
  private Future<Void> registerProbe(String token, Probe probe) {
    var body = new JsonObject().put("devEui", probe.devEui()).put("name", probe.name()).put("nodeId", probe.fridgeId())
        .put("type", DEVICE_TYPE).put("activation", probe.activation());
    return client.post("/api/v1/devices").bearerTokenAuthentication(token).sendJsonObject(body)
        .compose(response -> {
          if (response.statusCode() == 201) return Future.<Void>succeededFuture();
          if (response.statusCode() != 409) return expect(response, 201, "POST /api/v1/devices " + probe.devEui()).mapEmpty();
          return client.patch("/api/v1/devices/" + probe.devEui()).bearerTokenAuthentication(token)
              .sendJsonObject(new JsonObject().put("activation", probe.activation()).put("name", probe.name())
                  .put("nodeId", probe.fridgeId()).put("type", DEVICE_TYPE))
              .compose(patched -> expect(patched, 200, "PATCH /api/v1/devices/" + probe.devEui()))
              .<Void>mapEmpty();
        });
  }

  /** Sends one reading of every probe that is not silent, ChirpStack v4 HTTP; completes when all are answered. */
  public Future<Void> sendRound() {
    if (roundSender == null) roundSender = WebhookSender.chirpStack(vertx, baseUrl, ingestToken);
    return sendRound(roundSender);
  }

  /** Sends one reading of every probe that is not silent through {@code sender} (started); completes when all are answered. */
  public Future<Void> sendRound(UplinkSender sender) {
    var now = Instant.now();
    var answers = new ArrayList<Future<Outcome>>();
    for (var probe : probes) {
      var frame = probe.nextFrame(now, gateways.receptions());
      if (frame == null) continue;
      sent.incrementAndGet();
      answers.add(sender.send(frame).onSuccess(outcome -> {
        if (outcome.delivered()) {
          acked.incrementAndGet();
        } else {
          rejected.incrementAndGet();
          LOG.warn("simulator: uplink {} not acknowledged: {}", frame.id(), outcome);
        }
      }));
    }
    return Future.join(answers).mapEmpty();
  }

  /** Sends a round every {@code intervalMs} until the Vert.x instance closes. */
  public long run(long intervalMs) {
    return vertx.setPeriodic(0, intervalMs, id -> sendRound()
        .onComplete(done -> LOG.info("simulator: {} sent, {} acked, {} rejected", sent.get(), acked.get(), rejected.get())));
  }

  public long sent() {
    return sent.get();
  }

  public long acked() {
    return acked.get();
  }

  public long rejected() {
    return rejected.get();
  }

  private static JsonObject node(String id, String parentId, String kind, String name) {
    return new JsonObject().put("id", id).put("parentId", parentId).put("kind", kind).put("name", name);
  }

  private Future<Void> create(String token, JsonObject node) {
    return client.post("/api/v1/nodes").bearerTokenAuthentication(token).sendJsonObject(node)
        .compose(response -> response.statusCode() == 409 ? Future.succeededFuture(response)
            : expect(response, 201, "POST /api/v1/nodes " + node.getString("id")))
        .mapEmpty();
  }

  private Future<Void> put(String token, String path, JsonObject body) {
    return client.put(path).bearerTokenAuthentication(token).sendJsonObject(body)
        .compose(response -> response.statusCode() / 100 == 2 ? Future.succeededFuture(response)
            : expect(response, 200, "PUT " + path))
        .mapEmpty();
  }

  private static Future<HttpResponse<Buffer>> expect(HttpResponse<Buffer> response, int status, String what) {
    if (response.statusCode() == status) return Future.succeededFuture(response);
    return Future.failedFuture(what + " answered " + response.statusCode() + " " + response.bodyAsString());
  }
}
