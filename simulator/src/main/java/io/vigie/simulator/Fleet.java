package io.vigie.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of simulated fridge probes: registers its sites, rooms, fridges and devices through
 * the public API, then sends Cayenne LPP temperature uplinks as a ChirpStack v4 HTTP integration.
 */
public final class Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  private static final String[] SITES = {"Paris", "Lyon", "Lille", "Nantes"};

  /** One simulated probe. */
  public record Probe(String devEui, String name, String siteId, String fridgeId, FridgeModel model) {}

  private final Vertx vertx;
  private final WebClient client;
  private final String ingestToken;
  private final List<Probe> probes = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private long fCnt;

  public Fleet(Vertx vertx, String baseUrl, String ingestToken) {
    this.vertx = vertx;
    var uri = URI.create(baseUrl);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost())
        .setDefaultPort(uri.getPort()));
    this.ingestToken = ingestToken;
  }

  public List<Probe> probes() {
    return List.copyOf(probes);
  }

  /** Logs in and registers {@code size} probes spread over sites (idempotent: existing objects are kept). */
  public Future<Void> register(String username, String password, int size) {
    probes.clear();
    return client.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("grant_type", "password").put("username", username).put("password", password))
        .compose(response -> expect(response, 200, "log in as " + username))
        .compose(response -> {
          var token = response.bodyAsJsonObject().getString("access_token");
          Future<Void> chain = put(token, "/api/v1/device-types/lpp-fridge-probe",
              new JsonObject().put("name", "Fridge probe (Cayenne LPP)").put("codec", new JsonObject().put("kind", "cayenne-lpp")));
          for (int i = 0; i < size; i++) {
            var site = SITES[i % SITES.length];
            var siteId = "site-" + site.toLowerCase(Locale.ROOT);
            var roomId = siteId + "-kitchen";
            var fridgeNumber = i / SITES.length + 1;
            var fridgeId = siteId + "-fridge-" + fridgeNumber;
            var devEui = String.format(Locale.ROOT, "70b3d57ed0%06x", i + 1);
            var probe = new Probe(devEui, "Fridge " + fridgeNumber + " probe, " + site, siteId, fridgeId,
                new FridgeModel(4.0, i % 7 == 6, i));
            probes.add(probe);
            chain = chain
                .compose(x -> create(token, "/api/v1/nodes", new JsonObject().put("id", siteId).put("parentId", "default").put("kind", "site").put("name", site)))
                .compose(x -> create(token, "/api/v1/nodes", new JsonObject().put("id", roomId).put("parentId", siteId).put("kind", "room").put("name", "Kitchen")))
                .compose(x -> create(token, "/api/v1/nodes", new JsonObject().put("id", fridgeId).put("parentId", roomId).put("kind", "asset").put("name", "Fridge " + fridgeNumber)))
                .compose(x -> create(token, "/api/v1/devices", new JsonObject().put("devEui", devEui).put("name", probe.name())
                    .put("nodeId", fridgeId).put("type", "lpp-fridge-probe")
                    .put("activation", new JsonObject().put("mode", "network-decrypted"))));
          }
          return chain;
        });
  }

  /** Sends one reading of every probe; completes when all are answered. */
  public Future<Void> sendRound() {
    fCnt++;
    var now = Instant.now();
    var answers = probes.stream().map(probe -> {
      var body = ChirpStackUplinks.uplink(probe.devEui(), probe.name(), fCnt, 1,
          CayenneLpp.temperature(1, probe.model().next()), "b827ebfffe000001", now);
      sent.incrementAndGet();
      return client.post("/uplinks/chirpstack").addQueryParam("event", "up")
          .bearerTokenAuthentication(ingestToken).sendJsonObject(body)
          .onSuccess(response -> (response.statusCode() / 100 == 2 ? acked : rejected).incrementAndGet())
          .onFailure(e -> rejected.incrementAndGet())
          .<Void>mapEmpty();
    }).toList();
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

  private Future<Void> create(String token, String path, JsonObject body) {
    return client.post(path).bearerTokenAuthentication(token).sendJsonObject(body)
        .compose(response -> response.statusCode() == 409 ? Future.succeededFuture(response)
            : expect(response, 201, "POST " + path))
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
