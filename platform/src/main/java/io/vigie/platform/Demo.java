package io.vigie.platform;

import io.vigie.common.config.VigieConfig;
import io.vigie.simulator.Fleet;
import io.vigie.simulator.FleetOptions;
import java.io.PrintStream;

/**
 * {@code ./vigie --demo}: a small simulated fleet of fridges feeding the platform — ABP probes whose session keys
 * are registered through the public API, sending encrypted frames (real MIC, 32-bit counters) as a ChirpStack v4
 * HTTP integration would forward them, so the platform decrypts every reading itself. Now and then a probe goes
 * silent for a while.
 */
final class Demo {
  static final int FLEET_SIZE = 12;
  static final long INTERVAL_MS = 10_000;
  /** Per reading, the chance a probe falls silent (for 5 to 50 readings). */
  static final double SILENCE = 0.005;

  private Demo() {}

  static void start(Platform platform, PrintStream out) {
    var raw = platform.config().raw();
    var password = VigieConfig.stringAt(raw, "auth.adminPassword", "");
    var token = VigieConfig.stringAt(raw, "ingest.token", "");
    // counters from the clock: a restarted demo continues above the counters the replay guard has seen
    var options = FleetOptions.defaults().withSilence(SILENCE);
    var fleet = new Fleet(platform.vertx(), "http://127.0.0.1:" + platform.port(), token, options);
    fleet.register("admin", password, FLEET_SIZE)
        .onSuccess(done -> {
          out.printf("Demo: %d simulated ABP fridge probes over %d sites, one encrypted reading each every %d s"
              + " (ChirpStack HTTP).%n", FLEET_SIZE, 4, INTERVAL_MS / 1000);
          fleet.run(INTERVAL_MS);
        })
        .onFailure(e -> out.println("Demo: could not register the fleet (" + e.getMessage() + "). "
            + "The demo logs in as admin: start it with the admin password in VIGIE_ADMIN_PASSWORD."));
  }
}
