package io.vigie.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.gateway.adapter.ChirpStackV4;
import io.vigie.gateway.adapter.ThingPark;
import io.vigie.gateway.adapter.TtsV3;
import io.vigie.gateway.api.GatewayRoutes;
import io.vigie.gateway.api.IngestAuth;
import io.vigie.gateway.api.WebhookRoutes;
import io.vigie.gateway.api.UplinkRoutes;
import io.vigie.gateway.config.GatewayConfig;
import io.vigie.gateway.config.IngestLogSettings;
import io.vigie.gateway.ingest.IngestConsumers;
import io.vigie.gateway.store.IngestLog;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import java.util.UUID;
import io.vigie.gateway.ingest.IngestMetrics;
import io.vigie.gateway.ingest.IngestPipeline;
import io.vigie.gateway.ingest.UplinkForwarder;
import io.vigie.gateway.mqtt.MqttIngestVerticle;
import io.vigie.gateway.udp.GatewayStatusStore;
import io.vigie.gateway.udp.UdpIngestVerticle;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: network-server adapters that append uplinks from outside to the ingest log (Redis Streams) and
 * acknowledge upstream once appended; the partition consumers ({@link IngestConsumers}, one per lease held) hand them
 * down {@code uplink.received} in ordered batches. HTTP webhooks (ChirpStack v4, The Things
 * Stack v3, ThingPark), MQTT (ChirpStack and The Things Stack topics; when {@code mqtt.url} is set) and the
 * Semtech UDP packet forwarder (unless {@code udp.port} is {@code off}), all through one {@link IngestPipeline}.
 */
public final class GatewayService implements ServiceModule {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

  private volatile UdpIngestVerticle udp;

  @Override
  public String name() {
    return "gateway";
  }

  /** The webhooks of the network servers, one request per uplink: straight to the gateway's routes. */
  @Override
  public List<String> directPrefixes() {
    return List.of("/uplinks/");
  }

  /** The port the Semtech UDP adapter listens on once deployed ({@code udp.port: 0} picks a free one); -1 when off. */
  public int udpPort() {
    var verticle = udp;
    return verticle == null ? -1 : verticle.port();
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig vigieConfig, ServiceContext context) {
    var config = GatewayConfig.from(vigieConfig);
    if (config.tokenGenerated()) announce(config.ingestToken());
    var settings = IngestLogSettings.from(vigieConfig);
    var clock = Clock.systemUTC();
    var metrics = new IngestMetrics(context.meters());
    var redis = RedisClients.create(vertx, settings.redisUrl(), IngestLog.options().setMaxPoolSize(8).setMaxPoolWaiting(1024));
    var log = new IngestLog(vertx, redis, settings);
    context.readinessCheck("redis", log::ping);
    var registry = new RegistryClient(vertx, RegistryClientConfig.from(vigieConfig), context.meters(), name());
    var pipeline = new IngestPipeline(vertx, config, metrics, UplinkForwarder.appendingTo(log, registry, vertx.eventBus()));
    var chirpstack = new ChirpStackV4(clock);
    var tts = new TtsV3(clock);
    var router = Router.router(vertx);
    new WebhookRoutes(pipeline, metrics).mount(router, adapter -> new IngestAuth(config.tokenFor(adapter)), config.bodyLimit(),
        List.of(chirpstack, tts, new ThingPark(clock)));
    var gateways = new GatewayStatusStore(clock);
    var verifier = new TokenVerifier(vertx);
    new GatewayRoutes(gateways, verifier).mount(router);
    new UplinkRoutes(log, registry, verifier).mount(router);
    var consumers = new IngestConsumers(log, UUID.randomUUID().toString(), metrics, () -> System.nanoTime() / 1_000_000);

    // the scripts and the registry's invalidations before any adapter takes an uplink
    // Redis down at start is not fatal: appends answer 503 and the readiness check says why until it is back
    var ready = log.load()
        .recover(e -> {
          LOG.warn("the ingest log's Redis cannot be reached yet: {}", e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> registry.listen())
        .compose(v -> vertx.deployVerticle(consumers))
        .onSuccess(id -> context.onShutdown("ingest batches in flight finished, partition leases released",
            () -> vertx.undeploy(id)));
    return ready.compose(v -> deployAdapters(vertx, config, context, pipeline, metrics, gateways, clock, registry, router,
        chirpstack, tts, settings));
  }

  private Future<Router> deployAdapters(Vertx vertx, GatewayConfig config, ServiceContext context, IngestPipeline pipeline,
                                        IngestMetrics metrics, GatewayStatusStore gateways, Clock clock,
                                        RegistryClient registry, Router router, ChirpStackV4 chirpstack, TtsV3 tts,
                                        IngestLogSettings settings) {
    Future<?> udpDeployed = Future.succeededFuture();
    if (config.udp() != null) {
      var verticle = new UdpIngestVerticle(config.udp(), pipeline, metrics, gateways, clock, registry);
      udpDeployed = vertx.deployVerticle(verticle).onSuccess(id -> udp = verticle)
          .onSuccess(id -> context.onShutdown("Semtech UDP adapter closed", () -> vertx.undeploy(id)));
    }
    Future<?> mqttDeployed = Future.succeededFuture();
    if (config.mqtt() != null) {
      var verticle = new MqttIngestVerticle(config.mqtt(), pipeline, metrics, config.bodyLimit(), config.requestTimeoutMs(),
          chirpstack, tts);
      context.readinessCheck("mqtt", verticle::ready);
      mqttDeployed = vertx.deployVerticle(verticle)
          .onSuccess(id -> context.onShutdown("MQTT subscription closed", () -> vertx.undeploy(id)));
    }
    LOG.info("gateway: webhooks {} {} {}; MQTT {}; Semtech UDP {} (at most {} uplinks in flight per adapter, "
            + "bodies up to {} bytes, copies merged within {} ms); ingest log {}",
        ChirpStackV4.PATH, TtsV3.PATH, ThingPark.PATH, config.mqtt() == null ? "off (mqtt.url empty)" : config.mqtt().address(),
        config.udp() == null ? "off" : "on " + config.udp().host() + ":" + config.udp().port(), config.maxInFlight(),
        config.bodyLimit(), config.dedupWindowMs(), settings);
    return Future.all(udpDeployed, mqttDeployed).map(router);
  }

  /** Shown once on stdout, never logged: the operator needs it to configure the network server. */
  private static void announce(String token) {
    var line = "=".repeat(78);
    System.out.println(line);
    System.out.println(" Vigie ingestion secret (generated because VIGIE_INGEST_TOKEN is empty):");
    System.out.println("   " + token);
    System.out.println(" Network servers send it as 'Authorization: Bearer <secret>' or '?token=<secret>'.");
    System.out.println(" It is NOT persisted: set VIGIE_INGEST_TOKEN to keep it across restarts.");
    System.out.println(line);
  }
}
