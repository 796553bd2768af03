package io.vigie.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.AlertService;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.launch.ServiceModule;
import io.vigie.decoder.DecoderService;
import io.vigie.enrichment.EnrichmentService;
import io.vigie.gateway.GatewayService;
import io.vigie.realtime.RealtimeService;
import io.vigie.registry.RegistryService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The all-in-one Vigie: the embedded infrastructure (for what is not configured externally),
 * then every service in one JVM on one HTTP port.
 */
public final class Platform implements AutoCloseable {
  private final EmbeddedInfrastructure infrastructure;
  private final ServiceLauncher.Running running;
  private final GatewayService gateway;

  private Platform(EmbeddedInfrastructure infrastructure, ServiceLauncher.Running running, GatewayService gateway) {
    this.infrastructure = infrastructure;
    this.running = running;
    this.gateway = gateway;
  }

  /** Every service, in start order: the registry first, since the others ask it; the gateway last. */
  public static List<ServiceModule> services(GatewayService gateway) {
    return List.of(new RegistryService(), new DecoderService(), new EnrichmentService(), new AlertService(),
        new RealtimeService(), gateway);
  }

  /**
   * Starts the platform and blocks until it serves (or fails).
   *
   * @param environment usually {@code System.getenv()}
   * @param overrides configuration that wins over everything (tests)
   */
  public static Platform start(Map<String, String> environment, JsonObject overrides, PrintStream out) throws Exception {
    return start(environment, overrides, out, false);
  }

  /** @param demo the demo logs in as admin: without a configured password, one is kept in the data folder */
  public static Platform start(Map<String, String> environment, JsonObject overrides, PrintStream out, boolean demo)
      throws Exception {
    var raw = loadConfig(environment, overrides);
    var config = VigieConfig.from(raw);
    var dataDir = config.dataDir().toAbsolutePath().normalize();
    Files.createDirectories(dataDir);
    out.println("Vigie: data in " + dataDir);

    var infrastructure = EmbeddedInfrastructure.start(dataDir, config.redisUrl(), config.elasticsearchUrl(),
        config.mqttUrl(), out);
    try {
      ConfigLoader.put(raw, "data.dir", dataDir.toString());
      ConfigLoader.put(raw, "redis.url", infrastructure.redisUrl);
      ConfigLoader.put(raw, "elasticsearch.url", infrastructure.elasticsearchUrl);
      ConfigLoader.put(raw, "mqtt.url", infrastructure.mqttUrl);
      if (VigieConfig.stringAt(raw, "ingest.token", "").isBlank()) {
        ConfigLoader.put(raw, "ingest.token", secret(dataDir.resolve("ingest-token"),
            "Integration secret (VIGIE_INGEST_TOKEN)", out));
      }
      if (demo && VigieConfig.stringAt(raw, "auth.adminPassword", "").isBlank()) {
        ConfigLoader.put(raw, "auth.adminPassword", secret(dataDir.resolve("demo-admin-password"),
            "Demo: password of user admin", out));
      }
      var gateway = new GatewayService();
      var running = ServiceLauncher.launch(services(gateway), VigieConfig.from(raw))
          .toCompletionStage().toCompletableFuture().get();
      return new Platform(infrastructure, running, gateway);
    } catch (Exception e) {
      infrastructure.close();
      throw e;
    }
  }

  private static JsonObject loadConfig(Map<String, String> environment, JsonObject overrides) throws Exception {
    var bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, environment, overrides).toCompletionStage().toCompletableFuture().get();
    } finally {
      bootstrap.close();
    }
  }

  /** A secret kept in the data folder: generated and printed once, on first start. */
  private static String secret(Path file, String what, PrintStream out) throws IOException {
    if (Files.exists(file)) return Files.readString(file).trim();
    var bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    var token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Files.writeString(file, token);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the data folder's own permissions apply
    }
    out.println();
    out.println("  " + what + ", shown once and kept in " + file + ":");
    out.println("    " + token);
    out.println();
    return token;
  }

  public int port() {
    return running.port();
  }

  /** Each service's router, by service name: what the platform serves. */
  public Map<String, io.vertx.ext.web.Router> routers() {
    return running.routers();
  }

  public Vertx vertx() {
    return running.vertx();
  }

  public VigieConfig config() {
    return running.config();
  }

  /** The Semtech packet-forwarder UDP port the gateway listens on (useful when configured as 0 = any free port). */
  public int udpPort() {
    return gateway.udpPort();
  }

  public String redisUrl() {
    return infrastructure.redisUrl;
  }

  public String elasticsearchUrl() {
    return infrastructure.elasticsearchUrl;
  }

  public String mqttUrl() {
    return infrastructure.mqttUrl;
  }

  /** Stops the services, then the embedded infrastructure. */
  @Override
  public void close() {
    try {
      running.stop().toCompletionStage().toCompletableFuture().get();
    } catch (Exception ignored) {
      // stopping anyway
    } finally {
      infrastructure.close();
    }
  }

  Future<Void> stopServices() {
    return running.stop();
  }
}
