package io.vigie.platform;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One row of {@code docs/reliability.md}: what one fault scenario did to the uplinks sent while it ran. Every
 * reliability scenario writes its row with {@link #write()} into {@link #DIRECTORY}; {@code bench/reliability}
 * gathers the rows into the table.
 *
 * <ul>
 *   <li>{@code sent}: uplinks the load generator sent, from its start to its stop (the fault in between);</li>
 *   <li>{@code accepted}: answered with an acknowledgement (HTTP 2xx, MQTT PUBACK, UDP PUSH_ACK);</li>
 *   <li>{@code stored}: accepted uplinks found in Elasticsearch once everything drained (distinct uplink ids);</li>
 *   <li>{@code duplicated}: extra documents of accepted uplinks (stored more than once: each extra copy counts);</li>
 *   <li>{@code lost}: accepted − stored;</li>
 *   <li>{@code longestWaitMs}: the longest a sender waited from sending an uplink to its acknowledgement;</li>
 *   <li>{@code recoverySeconds}: from the end of the fault (the process restarted or resumed) until every uplink
 *       accepted so far is stored;</li>
 *   <li>{@code note}: anything a reader needs (uplinks refused during the fault and by which status, unanswered
 *       requests, why a row is not zero), empty when nothing.</li>
 * </ul>
 *
 * @param scenario what was done, as a reader says it ("Elasticsearch killed and restarted")
 * @param mode {@code all-in-one} or {@code clustered}
 */
record ReliabilityRow(String scenario, String mode, int sent, int accepted, int stored, int duplicated, int lost,
    long longestWaitMs, double recoverySeconds, String note) {

  /** Where the rows go, relative to the module's directory (surefire's working directory). */
  static final Path DIRECTORY = Path.of("target", "reliability");

  JsonObject toJson() {
    return new JsonObject().put("scenario", scenario).put("mode", mode).put("sent", sent).put("accepted", accepted)
        .put("stored", stored).put("duplicated", duplicated).put("lost", lost).put("longestWaitMs", longestWaitMs)
        .put("recoverySeconds", recoverySeconds).put("note", note);
  }

  static ReliabilityRow fromJson(JsonObject json) {
    return new ReliabilityRow(json.getString("scenario"), json.getString("mode"), json.getInteger("sent"),
        json.getInteger("accepted"), json.getInteger("stored"), json.getInteger("duplicated"),
        json.getInteger("lost"), json.getLong("longestWaitMs"), json.getDouble("recoverySeconds"),
        json.getString("note", ""));
  }

  /** Writes this row as {@code target/reliability/<mode>-<scenario, slugged>.json}, replacing an earlier run's. */
  Path write() throws IOException {
    Files.createDirectories(DIRECTORY);
    var slug = (mode + "-" + scenario).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    var file = DIRECTORY.resolve(slug + ".json");
    Files.writeString(file, toJson().encodePrettily());
    return file;
  }
}
