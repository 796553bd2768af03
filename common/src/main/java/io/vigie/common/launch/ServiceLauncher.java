package io.vigie.common.launch;

import com.hazelcast.config.Config;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.http.ConnectionGuard;
import io.vigie.common.http.Errors;
import io.vigie.common.http.HttpEdge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Vert.x (local, or clustered through Hazelcast), deploys the given services and serves
 * their routes on one HTTP port with {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}. Used by every service's {@code Main} and by the platform.
 */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  /** How long the drain steps of a graceful stop may take before Vert.x closes anyway. */
  static final Duration GRACE = Duration.ofSeconds(20);

  /**
   * A running set of services.
   *
   * @param routers each service's router, by service name (what the API serves, for checks against the contract)
   */
  public record Running(Vertx vertx, VigieConfig config, HttpServer http, PrometheusMeterRegistry meters,
                        Map<String, Router> routers, Shutdown shutdown) {
    public int port() {
      return http.actualPort();
    }

    /**
     * The graceful stop: readiness 503 and new requests refused at once, the services' drain steps (in-flight
     * batches finish, leases released), the HTTP servers wait for the requests they are answering, then Vert.x
     * closes and leaves the cluster. Called again, it answers the same future.
     */
    public Future<Void> stop() {
      return shutdown.once(() -> {
        shutdown.begin();
        return shutdown.drain(vertx, GRACE)
            .compose(drained -> http.shutdown(5, TimeUnit.SECONDS).otherwiseEmpty())
            .compose(closed -> vertx.close());
      });
    }
  }

  /**
   * What every service's {@code Main} does: launch that one service with the environment's
   * configuration (clustered when {@code VIGIE_CLUSTER=true}), or exit with status 1 and the reason.
   * SIGTERM (or Ctrl-C) stops it gracefully ({@link Running#stop()}) and exits with status 0.
   */
  public static void runAlone(ServiceModule module) {
    Running running;
    try {
      running = launch(List.of(module), System.getenv(), new JsonObject()).await();
      LOG.info("{} service listening on port {}", module.name(), running.port());
    } catch (RuntimeException failure) {
      LOG.error("{} service failed to start: {}", module.name(), failure.getMessage());
      System.exit(1);
      return;
    }
    stopGracefullyOnExit(module.name(), running::stop);
  }

  /**
   * On SIGTERM or Ctrl-C: runs {@code stop} (bounded), then ends the process with status 0, as an orchestrator
   * expects from a clean stop (the JVM's own would be 143).
   */
  public static void stopGracefullyOnExit(String what, Supplier<Future<Void>> stop) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("{}: stop requested", what);
      try {
        stop.get().toCompletionStage().toCompletableFuture().get(GRACE.toSeconds() + 15, TimeUnit.SECONDS);
        LOG.info("{}: stopped", what);
      } catch (Exception e) {
        LOG.warn("{}: stopped without finishing cleanly: {}", what, e.getMessage());
      }
      Runtime.getRuntime().halt(0);
    }, "vigie-shutdown"));
  }

  /** Loads the configuration (defaults, VIGIE_CONFIG, environment, overrides) and launches. */
  public static Future<Running> launch(List<ServiceModule> modules, Map<String, String> environment, JsonObject overrides) {
    // The configuration is read with a short-lived Vert.x; what follows must not run on its (closed)
    // event loop, hence a promise bound to no context.
    var bootstrap = Vertx.vertx();
    var loaded = Promise.<JsonObject>promise();
    ConfigLoader.load(bootstrap, environment, overrides)
        .onComplete(result -> bootstrap.close().onComplete(closed -> loaded.handle(result)));
    return loaded.future().compose(raw -> launch(modules, VigieConfig.from(raw)));
  }

  public static Future<Running> launch(List<ServiceModule> modules, VigieConfig config) {
    var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // the bus carries batches and fan-outs, each counted by the service that sends it; Vert.x's own per-message
        // counters (a meter lookup per message, per address) cost more than they tell
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    // vertx.nativeTransport (VIGIE_NATIVE_TRANSPORT) true: Netty's epoll transport where the class path has it (the
    // platform's does), NIO elsewhere. Off by default until measured on a quiet machine (bench/RESULTS.md).
    var options = new VertxOptions().setMetricsOptions(metricsOptions)
        .setPreferNativeTransport(VigieConfig.flag(config.raw(), "vertx.nativeTransport", false));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(meters));
    Future<Vertx> vertxFuture;
    HazelcastClusterManager clusterManager = null;
    if (config.cluster().enabled()) {
      options.getEventBusOptions().setHost(config.cluster().host()).setPort(0);
      LOG.info("joining the Hazelcast cluster '{}' on {}:{} (members {})", config.cluster().name(), config.cluster().host(),
          config.cluster().port(), config.cluster().kubernetesServiceDns() != null
              ? "from DNS " + config.cluster().kubernetesServiceDns() : config.cluster().members());
      var manager = new HazelcastClusterManager(FailureDetection.apply(hazelcast(config.cluster()), config.raw()));
      clusterManager = manager;
      vertxFuture = builder.withClusterManager(manager).buildClustered()
          .onSuccess(clustered -> FailureDetection.watchMembers(manager, clustered));
    } else {
      vertxFuture = Future.succeededFuture(builder.build());
    }
    var cluster = clusterManager;
    return vertxFuture.compose(vertx -> deploy(vertx, modules, config, meters, cluster)
        .recover(failure -> vertx.close().transform(closed -> Future.failedFuture(failure))));
  }

  private static Future<Running> deploy(Vertx vertx, List<ServiceModule> modules, VigieConfig config,
                                        PrometheusMeterRegistry meters, HazelcastClusterManager cluster) {
    var readiness = HealthChecks.create(vertx);
    var shutdown = new Shutdown();
    var inFlight = new BusInFlight(vertx.eventBus(), shutdown::draining);
    shutdown.register("bus", "requests taken on the event bus answered", inFlight::answered);
    if (cluster != null) {
      // a member cut from the cluster has no next stage to hand work to
      readiness.register("cluster", promise -> promise.complete(cluster.getHazelcastInstance().getLifecycleService().isRunning()
          ? Status.OK() : Status.KO(new JsonObject().put("reason", "not a member of the Hazelcast cluster"))));
    }
    var edge = HttpEdge.Settings.from(config.raw());
    var guard = new ConnectionGuard(vertx, ConnectionGuard.Settings.from(config.raw()), meters);
    var root = Router.router(vertx);
    HttpEdge.install(root, edge);
    root.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    root.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    root.get("/metrics").handler(PrometheusScrapingHandler.create(meters));

    var routers = new java.util.LinkedHashMap<String, Router>();
    var direct = new ArrayList<Map.Entry<String, Router>>();
    Future<Void> chain = Future.succeededFuture();
    for (var module : modules) {
      // compose: a service whose configuration is invalid may simply throw; the launch then fails with its message
      // a service's deploy builds its clients (class loading, seconds on a cold JVM): on a worker, not an event loop
      chain = chain.compose(ignored -> vertx.executeBlocking(() -> module.deploy(vertx, config,
              new ServiceContext(module.name(), readiness, meters, shutdown))).compose(deployed -> deployed)
          .onSuccess(router -> root.route("/*").subRouter(router))
          .onSuccess(router -> routers.put(module.name(), router))
          .onSuccess(router -> module.directPrefixes().forEach(prefix -> direct.add(Map.entry(prefix, shortcut(vertx, router, edge)))))
          .onSuccess(router -> LOG.info("service {} deployed", module.name()))
          .mapEmpty());
    }
    var fallback = modules.stream().mapToInt(ServiceModule::httpInstances).min().orElse(1);
    var instances = VigieConfig.integer(config.raw(), "http.instances", fallback);
    if (instances < 1) return Future.failedFuture(new IllegalArgumentException("http.instances must be >= 1, got " + instances));
    // several servers on one port, each on its own event loop: Vert.x spreads the connections over them (a negative
    // port is a random one they share)
    var port = instances > 1 && config.httpPort() == 0 ? -1 : config.httpPort();
    return chain.compose(ignored -> {
      // from the first moment of a stop, readiness fails: an orchestrator sends no more traffic
      readiness.register("shutdown", promise -> promise.complete(shutdown.draining()
          ? Status.KO(new JsonObject().put("reason", "stopping")) : Status.OK()));
      Errors.install(root);
      return guard.server(vertx, refusingWhenStopping(shutdown, dispatch(root, direct))).listen(port, "0.0.0.0");
    }).compose(http -> instances == 1 ? Future.succeededFuture(http)
        : vertx.deployVerticle((Supplier<Deployable>) () -> listener(guard, refusingWhenStopping(shutdown, dispatch(root, direct)), port),
            new DeploymentOptions().setInstances(instances - 1)).map(id -> http))
    .map(http -> new Running(vertx, config, http, meters, Map.copyOf(routers), shutdown));
  }

  /** One more HTTP server on the port, on the event loop of its deployment. */
  private static Deployable listener(ConnectionGuard guard, Handler<HttpServerRequest> handler, int port) {
    return context -> guard.server(context.owner(), handler).listen(port, "0.0.0.0");
  }

  /** A service's router alone, with the one error shape: what its direct prefixes are served by. */
  private static Router shortcut(Vertx vertx, Router service, HttpEdge.Settings edge) {
    var router = Router.router(vertx);
    HttpEdge.install(router, edge);
    router.route("/*").subRouter(service);
    Errors.install(router);
    return router;
  }

  /**
   * While stopping, every request but the probes and the metrics is answered 503 with {@code Retry-After} (an uplink
   * not taken is sent again by its network server, to another instance); requests already being served finish.
   */
  private static Handler<HttpServerRequest> refusingWhenStopping(Shutdown shutdown, Handler<HttpServerRequest> next) {
    return request -> {
      if (!shutdown.draining() || request.path().startsWith("/health/") || request.path().equals("/metrics")) {
        next.handle(request);
        return;
      }
      request.response().setStatusCode(503).putHeader("Retry-After", "5").putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "unavailable").put("message", "this instance is stopping").encode());
    };
  }

  /** Requests under a direct prefix to that service's router, the others to the root router. */
  private static Handler<HttpServerRequest> dispatch(Router root, List<Map.Entry<String, Router>> direct) {
    if (direct.isEmpty()) return root;
    var prefixes = List.copyOf(direct);
    return request -> {
      var path = request.path();
      for (var prefix : prefixes) {
        if (path.startsWith(prefix.getKey())) {
          prefix.getValue().handle(request);
          return;
        }
      }
      root.handle(request);
    };
  }

  /** Hazelcast for a laptop or a test (TCP-IP members on loopback) or Kubernetes (DNS discovery). */
  static Config hazelcast(VigieConfig.ClusterConfig cluster) {
    var hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    var network = hz.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    var join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      join.getTcpIpConfig().setEnabled(true)
          .setMembers(cluster.members().isEmpty() ? List.of(cluster.host()) : cluster.members());
    }
    return hz;
  }
}
