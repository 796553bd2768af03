package io.vigie.alert;

import static io.vigie.alert.AlertHarness.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.message.MeasurementValue;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@RealRedis
@DisplayName("The alert rules API")
class AlertRulesTest {
  private static AlertHarness harness;

  @BeforeAll
  static void launch(EmbeddedRedis server) throws Exception {
    harness = new AlertHarness(server.url() + "/9", null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
  }

  private static JsonObject above(String nodeId, double threshold, String severity) {
    return new JsonObject().put("nodeId", nodeId).put("kind", "above").put("measurement", "temperature")
        .put("threshold", threshold).put("severity", severity);
  }

  @Test
  @DisplayName("creates, reads, lists, replaces and deletes a rule; shows what applies at a node and where each rule comes from")
  void crud() throws Exception {
    var fleet = harness.new Fleet();
    var admin = fleet.admin();
    var rule = above("kitchen-1", 5, "critical").put("name", "cold-chain").put("for", "PT10M").put("clearBelow", 4.5)
        .put("escalate", new io.vertx.core.json.JsonArray().add(new JsonObject().put("after", "PT1H").put("severity", "critical")));

    var created = harness.put("/api/v1/alert-rules/kitchen-cold", admin, rule);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    var read = harness.get("/api/v1/alert-rules/kitchen-cold", admin).bodyAsJsonObject();
    assertThat(read.getString("for")).isEqualTo("PT10M");
    assertThat(read.getDouble("clearBelow")).isEqualTo(4.5);
    assertThat(read.getBoolean("enabled")).isTrue();
    assertThat(harness.get("/api/v1/alert-rules?nodeId=kitchen-1", admin).bodyAsJsonObject().getJsonArray("rules")).hasSize(1);
    assertThat(harness.get("/api/v1/alert-rules?nodeId=" + fleet.tenant, admin).bodyAsJsonObject().getJsonArray("rules"))
        .as("the defaults on the root").hasSize(2);

    var effective = harness.get("/api/v1/nodes/kitchen-1/effective-rules", admin).bodyAsJsonObject().getJsonArray("rules");
    assertThat(effective.stream().map(r -> ((JsonObject) r).getString("id") + "@" + ((JsonObject) r).getString("inheritedFrom")))
        .containsExactly("default-no-data@" + fleet.tenant, "default-temperature-above@" + fleet.tenant, "kitchen-cold@kitchen-1");
    assertThat(harness.put("/api/v1/alert-rules/kitchen-cold", admin, rule.put("severity", "minor")).statusCode()).isEqualTo(200);
    assertThat(harness.get("/api/v1/alert-rules/kitchen-cold", admin).bodyAsJsonObject().getString("severity")).isEqualTo("minor");
    assertThat(harness.delete("/api/v1/alert-rules/kitchen-cold", admin).statusCode()).isEqualTo(204);
    assertThat(harness.get("/api/v1/alert-rules/kitchen-cold", admin).statusCode()).isEqualTo(404);
    assertThat(harness.delete("/api/v1/alert-rules/kitchen-cold", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("refuses an invalid rule with 400 and the reason, an unknown node with 400")
  void validation() throws Exception {
    var fleet = harness.new Fleet();
    var bad = harness.put("/api/v1/alert-rules/r1", fleet.admin(), above(fleet.tenant, 8, "major").put("for", "a while"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("message")).contains("ISO-8601");
    var noThreshold = harness.put("/api/v1/alert-rules/r1", fleet.admin(), above(fleet.tenant, 8, "major").putNull("threshold"));
    assertThat(noThreshold.statusCode()).isEqualTo(400);
    assertThat(harness.put("/api/v1/alert-rules/r1", fleet.admin(), above("nowhere", 8, "major")).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a viewer cannot write rules (403); another subtree's rule does not exist for the caller (404) and its id is "
      + "taken (409)")
  void scopes() throws Exception {
    var fleet = harness.new Fleet();
    harness.put("/api/v1/alert-rules/lyon-rule", fleet.admin(), above("site-lyon", 6, "major"));
    var parisViewer = fleet.token(Role.VIEWER, "site-paris");
    var parisOperator = fleet.token(Role.OPERATOR, "site-paris");

    assertThat(harness.put("/api/v1/alert-rules/p", parisViewer, above("kitchen-1", 6, "major")).statusCode()).isEqualTo(403);
    assertThat(harness.put("/api/v1/alert-rules/p", parisOperator, above("kitchen-1", 6, "major")).statusCode()).isEqualTo(201);
    assertThat(harness.get("/api/v1/alert-rules/lyon-rule", parisOperator).statusCode()).isEqualTo(404);
    assertThat(harness.delete("/api/v1/alert-rules/lyon-rule", parisOperator).statusCode()).isEqualTo(404);
    var outOfReach = harness.put("/api/v1/alert-rules/lyon-rule", parisOperator, above("kitchen-1", 6, "major"));
    assertThat(outOfReach.statusCode()).as("replacing a rule out of reach: its id is taken").isEqualTo(409);
    assertThat(outOfReach.bodyAsString()).as("nothing of where that rule is").doesNotContain("site-lyon");
    assertThat(harness.get("/api/v1/nodes/site-lyon/effective-rules", parisOperator).statusCode()).isEqualTo(404);
    assertThat(harness.get("/api/v1/alert-rules", parisViewer).bodyAsJsonObject().getJsonArray("rules").stream()
        .map(r -> ((JsonObject) r).getString("id"))).doesNotContain("lyon-rule").contains("p");
  }

  @Test
  @DisplayName("a rule nearer to the device overrides an inherited one with the same name; a disabled override switches it off for a subtree")
  void inheritanceAndOverride() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var admin = fleet.admin();
    harness.put("/api/v1/alert-rules/kitchen-strict", admin, above("kitchen-1", 5, "critical").put("name", "default-temperature-above"));
    harness.put("/api/v1/alert-rules/default-temperature-above-lyon", admin,
        above("site-lyon", 8, "major").put("name", "default-temperature-above").put("enabled", false));

    harness.evaluate(fleet.paris(1, 1, temperature(6)));
    harness.evaluate(fleet.lyon(1, 1, temperature(20)));

    var paris = harness.nextChange(fleet.paris);
    assertThat(paris.getString("ruleId")).isEqualTo("kitchen-strict");
    assertThat(paris.getString("severity")).isEqualTo("critical");
    assertThat(harness.noChange(fleet.lyon)).as("switched off in Lyon").isNull();
  }

  @Test
  @DisplayName("each kind through the service, with durations and clear thresholds: below, outside, rate, battery-low")
  void kinds() throws Exception {
    var fleet = harness.new Fleet();
    var rules = Map.of(
        "too-cold", new JsonObject().put("kind", "below").put("measurement", "temperature").put("threshold", 0).put("clearAbove", 1),
        "band", new JsonObject().put("kind", "outside").put("measurement", "humidity").put("min", 30).put("max", 70).put("for", "PT10M"),
        "warming", new JsonObject().put("kind", "rate").put("measurement", "co2").put("perHour", 600).put("clearBelow", 300),
        "battery", new JsonObject().put("kind", "battery-low").put("threshold", 3.0).put("for", "PT20M"));
    for (var rule : rules.entrySet()) {
      var response = harness.put("/api/v1/alert-rules/" + rule.getKey(), fleet.admin(),
          rule.getValue().put("nodeId", "kitchen-1").put("severity", "minor"));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    }
    // minute → readings: temperature, humidity, CO2 (ppm), battery (V)
    double[][] readings = {{0, 2, 50, 400, 3.3}, {10, -1, 20, 600, 2.9}, {20, 0.5, 25, 800, 2.9}, {30, 1, 50, 820, 2.8},
        {40, 1, 50, 830, 3.2}};
    var transitions = new java.util.ArrayList<String>();
    for (int i = 0; i < readings.length; i++) {
      var r = readings[i];
      harness.evaluate(fleet.paris(i + 1, r[0], temperature(r[1]), new MeasurementValue("humidity", "%RH", r[2]),
          new MeasurementValue("co2", "ppm", r[3]), new MeasurementValue("battery", "V", r[4])));
      JsonObject change;
      while ((change = harness.noChange(fleet.paris)) != null) {
        transitions.add((int) r[0] + " " + change.getString("ruleId") + " " + change.getString("transition"));
      }
    }
    assertThat(transitions).containsExactlyInAnyOrder(
        "10 too-cold opened", "30 too-cold cleared",          // below 0; clears at 1 (not at 0.5)
        "20 band opened", "30 band cleared",                   // outside 30–70 for 10 minutes
        "10 warming opened", "30 warming cleared",             // +1200 ppm/h; clears at or below +300 ppm/h
        "30 battery opened", "40 battery cleared");            // below 3 V for 20 minutes
  }

  /**
   * Each kind with its limit, its clear threshold, and five readings ten minutes apart: normal, past the limit twice,
   * between the limit and the clear threshold, normal again (for a rate, the readings whose change per hour that is).
   */
  static Stream<Arguments> kindsWithAndWithoutDurationAndHysteresis() {
    var kinds = Map.of(
        "above", List.of(new JsonObject().put("kind", "above").put("threshold", 8), new JsonObject().put("clearBelow", 7),
            List.of(5.0, 9.0, 9.0, 7.5, 5.0)),
        "below", List.of(new JsonObject().put("kind", "below").put("threshold", 0), new JsonObject().put("clearAbove", 1),
            List.of(3.0, -1.0, -1.0, 0.5, 3.0)),
        "outside", List.of(new JsonObject().put("kind", "outside").put("min", 2).put("max", 6),
            new JsonObject().put("clearAbove", 3).put("clearBelow", 5), List.of(4.0, 7.0, 7.0, 5.5, 4.0)),
        "rate", List.of(new JsonObject().put("kind", "rate").put("perHour", 6), new JsonObject().put("clearBelow", 3),
            List.of(4.0, 5.5, 7.0, 7.75, 7.75)), // +9/h, +9/h, +4.5/h, 0/h
        "battery-low", List.of(new JsonObject().put("kind", "battery-low").put("threshold", 3.0),
            new JsonObject().put("clearAbove", 3.2), List.of(3.6, 2.9, 2.9, 3.1, 3.6)));
    return kinds.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(kind -> Stream.of(
        Arguments.of(kind.getKey(), false, kind.getValue().get(0), kind.getValue().get(1), kind.getValue().get(2)),
        Arguments.of(kind.getKey(), true, kind.getValue().get(0), kind.getValue().get(1), kind.getValue().get(2))));
  }

  @ParameterizedTest(name = "{0}, with a duration and a clear threshold: {1}")
  @MethodSource("kindsWithAndWithoutDurationAndHysteresis")
  @DisplayName("each kind through the service, evaluated a day late: without duration nor clear threshold it opens at the "
      + "first reading past the limit and clears at the first within it; for 10 minutes with a clear threshold it opens "
      + "10 minutes of measurement time after the condition began and clears only past the clear threshold")
  void eachKind(String kind, boolean durationAndHysteresis, JsonObject limit, JsonObject clear, List<Double> values)
      throws Exception {
    var fleet = harness.new Fleet();
    var rule = limit.copy().put("nodeId", "kitchen-1").put("severity", "minor");
    var measurement = "battery-low".equals(kind) ? "battery" : "level";
    if (!"battery-low".equals(kind)) rule.put("measurement", measurement);
    if (durationAndHysteresis) rule.put("for", "PT10M").mergeIn(clear);
    var put = harness.put("/api/v1/alert-rules/" + kind, fleet.admin(), rule);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(201);
    var late = harness.clock.instant();
    harness.clock.set(AlertHarness.T0.plus(Duration.ofDays(1)));
    try {
      for (int i = 0; i < values.size(); i++) {
        harness.evaluate(fleet.paris(i + 1, i * 10, new MeasurementValue(measurement, "x", values.get(i))));
      }
    } finally {
      harness.clock.set(late);
    }

    var transitions = new ArrayList<String>();
    JsonObject change;
    while ((change = harness.noChange(fleet.paris)) != null) {
      assertThat(change.getString("ruleId")).isEqualTo(kind);
      transitions.add(change.getString("transition") + " at " + minutes(change.getString("at"))
          + " since " + minutes(change.getString("since")));
    }
    assertThat(transitions).as("dated by the measurements, not by the day-late clock").containsExactlyElementsOf(durationAndHysteresis
        ? List.of("opened at 20 since 10", "cleared at 40 since 10")
        : List.of("opened at 10 since 10", "cleared at 30 since 10"));
  }

  private static long minutes(String time) {
    return Duration.between(AlertHarness.T0, java.time.Instant.parse(time)).toMinutes();
  }

  @Test
  @DisplayName("a rule on a device type applies to the devices of that type only")
  void deviceType() throws Exception {
    var fleet = harness.new Fleet();
    var other = AlertHarness.devEui();
    fleet.device(other, fleet.parisPath, "door-sensor");
    var humid = new JsonObject().put("deviceType", "lht65").put("kind", "above").put("measurement", "humidity")
        .put("threshold", 90).put("severity", "warning");
    assertThat(harness.put("/api/v1/alert-rules/lht65-humid", fleet.admin(), humid).statusCode()).isEqualTo(201);
    assertThat(harness.put("/api/v1/alert-rules/lht65-humid", fleet.token(Role.OPERATOR, "site-paris"), humid).statusCode())
        .as("device-type rules need the tenant root").isEqualTo(403);

    var wet = new MeasurementValue("humidity", "%RH", 95);
    harness.evaluate(fleet.paris(1, 1, wet));
    harness.evaluate(AlertHarness.measurement(fleet.tenant, other, fleet.parisPath, "door-sensor", 1, AlertHarness.at(1), wet));

    var alert = harness.nextChange(fleet.paris);
    assertThat(alert.getString("ruleId")).isEqualTo("lht65-humid");
    assertThat(alert.getString("severity")).isEqualTo("warning");
    assertThat(harness.noChange(other)).isNull();
    var effective = harness.get("/api/v1/nodes/kitchen-1/effective-rules?deviceType=lht65", fleet.admin()).bodyAsJsonObject();
    assertThat(effective.encode()).contains("\"inheritedFromDeviceType\":\"lht65\"");
  }
}
