package io.vigie.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vigie.simulator.sender.MqttSender;
import io.vigie.simulator.sender.SemtechUdpSender;
import io.vigie.simulator.sender.WebhookSender;
import io.vigie.simulator.sender.UplinkSender;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code simulator --url … --adapter udp --rate 50 --duration 5m}: registers a fleet of ABP fridge probes through the
 * public API ({@code --api-url}, by default {@code --url}), then sends their encrypted frames through one adapter at a rate, with a progress line every second.
 * Exit code 0 when every uplink was acknowledged, 3 when some were not, 1 when the run could not start, 2 on a bad
 * command line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("simulator: " + e.getMessage());
      System.err.print(SimulatorOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(SimulatorOptions.USAGE);
      return;
    }
    var vertx = Vertx.vertx();
    int code;
    try {
      code = run(vertx, options, System.out).toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("simulator: " + e.getCause().getMessage());
      code = 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(code);
  }

  /** Registers the fleet and runs the load; the exit code. */
  public static Future<Integer> run(Vertx vertx, SimulatorOptions options, PrintStream out) {
    if (options.adminPassword().isEmpty()) {
      return Future.failedFuture("--admin-password (or VIGIE_ADMIN_PASSWORD) is needed: the probes are registered with"
          + " fresh session keys at every run");
    }
    options.warnings().forEach(w -> out.println("warning: " + w));
    var fleet = new Fleet(vertx, options.apiUrl(), options.ingestToken(), options.fleetOptions());
    out.printf("Registering %d ABP probes at %s as %s…%n", options.devices(), options.apiUrl(), options.adminUser());
    return fleet.register(options.adminUser(), options.adminPassword(), options.devices())
        .compose(registered -> {
          out.printf("Sending through %s at %.1f uplinks/s%s, %d gateway(s)…%n", options.adapter(), options.rate(),
              options.count() > 0 ? ", " + options.count() + " uplinks" : ", for " + options.duration().toSeconds() + " s",
              options.gateways());
          var generator = new LoadGenerator(fleet.probes(), Gateways.of(options.gateways()), sender(vertx, options),
              options.settings(), out::println, null);
          return LoadGenerator.run(vertx, generator);
        })
        .map(report -> report.rejected() + report.failed() + report.unanswered() == 0 ? 0 : 3);
  }

  /** The sender of {@code --adapter}. */
  public static UplinkSender sender(Vertx vertx, SimulatorOptions options) {
    return switch (options.adapter()) {
      case WebhookSender.CHIRPSTACK -> WebhookSender.chirpStack(vertx, options.ingestUrl(), options.ingestToken());
      case WebhookSender.TTN -> WebhookSender.tts(vertx, options.ingestUrl(), options.ingestToken());
      case WebhookSender.THINGPARK -> WebhookSender.thingPark(vertx, options.ingestUrl(), options.ingestToken());
      case "mqtt-chirpstack" -> new MqttSender(vertx, options.mqttUrl(), MqttSender.Flavour.CHIRPSTACK);
      case "mqtt-tts" -> new MqttSender(vertx, options.mqttUrl(), MqttSender.Flavour.TTS);
      case SemtechUdpSender.NAME -> new SemtechUdpSender(vertx, options.udpHost(), options.udpPort());
      default -> throw new IllegalArgumentException("unknown adapter " + options.adapter());
    };
  }
}
