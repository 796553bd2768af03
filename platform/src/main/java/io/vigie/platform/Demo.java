package io.vigie.platform;

import io.vigie.common.config.VigieConfig;
import io.vigie.simulator.Fleet;
import java.io.PrintStream;

/** {@code ./vigie --demo}: a small simulated fleet of fridges feeding the platform. */
final class Demo {
  static final int FLEET_SIZE = 12;
  static final long INTERVAL_MS = 10_000;

  private Demo() {}

  static void start(Platform platform, PrintStream out) {
    var raw = platform.config().raw();
    var password = VigieConfig.stringAt(raw, "auth.adminPassword", "");
    var token = VigieConfig.stringAt(raw, "ingest.token", "");
    var fleet = new Fleet(platform.vertx(), "http://127.0.0.1:" + platform.port(), token);
    fleet.register("admin", password, FLEET_SIZE)
        .onSuccess(done -> {
          out.printf("Demo: %d simulated fridge probes over %d sites, one reading each every %d s.%n",
              FLEET_SIZE, 4, INTERVAL_MS / 1000);
          fleet.run(INTERVAL_MS);
        })
        .onFailure(e -> out.println("Demo: could not register the fleet (" + e.getMessage() + "). "
            + "The demo logs in as admin: start it with the admin password in VIGIE_ADMIN_PASSWORD."));
  }
}
