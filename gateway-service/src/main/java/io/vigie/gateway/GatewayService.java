package io.vigie.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.gateway.adapter.ChirpStackV4;
import io.vigie.gateway.api.ChirpStackRoutes;
import io.vigie.gateway.api.IngestAuth;
import io.vigie.gateway.api.IngestMetrics;
import io.vigie.gateway.api.UplinkForwarder;
import io.vigie.gateway.config.GatewayConfig;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: network-server adapters that turn uplinks from outside into {@code uplink.received}
 * requests and answer upstream once the pipeline acknowledged them end to end. This issue ships the
 * ChirpStack v4 HTTP integration; MQTT, The Things Stack, ThingPark and Semtech UDP come later.
 *
 * <p>No readiness check yet: the HTTP adapter depends on nothing outside the event bus (the MQTT
 * client will add one).
 */
public final class GatewayService implements ServiceModule {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig vigieConfig, ServiceContext context) {
    var config = GatewayConfig.from(vigieConfig);
    if (config.tokenGenerated()) announce(config.ingestToken());
    var metrics = new IngestMetrics(context.meters());
    var auth = new IngestAuth(config.ingestToken());
    var router = Router.router(vertx);
    var chirpstack = new UplinkForwarder(vertx, ChirpStackV4.SOURCE, config.maxInFlight(), config.requestTimeoutMs(), metrics);
    new ChirpStackRoutes(new ChirpStackV4(Clock.systemUTC()), chirpstack, metrics).mount(router, auth, config.bodyLimit());
    LOG.info("gateway ready: {} (at most {} uplinks in flight per adapter, bodies up to {} bytes)",
        ChirpStackRoutes.PATH, config.maxInFlight(), config.bodyLimit());
    return Future.succeededFuture(router);
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
