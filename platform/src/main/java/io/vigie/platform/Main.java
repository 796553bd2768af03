package io.vigie.platform;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** {@code ./vigie [--demo]}: the whole platform in one process. Ctrl-C or SIGTERM stops everything gracefully (readiness 503, work in flight finished), then exits 0. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    var arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.println("usage: ./vigie [--demo]   (configuration: see README.md, VIGIE_* environment variables)");
      return;
    }
    var started = System.nanoTime();
    Platform platform;
    try {
      platform = Platform.start(System.getenv(), new JsonObject(), System.out, arguments.contains("--demo"));
    } catch (Exception e) {
      System.err.println("Vigie could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Vigie: stopping…");
      platform.close();
      System.out.println("Vigie: stopped.");
      stopped.countDown();
      // a clean stop on SIGTERM is status 0 for an orchestrator (the JVM's own would be 143)
      Runtime.getRuntime().halt(0);
    }, "vigie-shutdown"));

    var base = "http://localhost:" + platform.port();
    System.out.printf("%nVigie is up in %.1f s on %s%n", (System.nanoTime() - started) / 1e9, base);
    System.out.println("  API            " + base + "/api/v1  (token: POST /api/v1/auth/token)");
    System.out.println("  Uplinks        " + base + "/uplinks/chirpstack?event=up, /uplinks/ttn, /uplinks/thingpark");
    if (platform.udpPort() > 0) System.out.println("  Semtech UDP    port " + platform.udpPort());
    System.out.println("  MQTT uplinks   " + platform.mqttUrl() + " (ChirpStack and TTS topics)");
    System.out.println("  Live (SockJS)  " + base + "/eventbus");
    System.out.println("  Health         " + base + "/health/ready   Metrics " + base + "/metrics");
    if (arguments.contains("--demo")) {
      Demo.start(platform, System.out);
    }
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
  }
}
