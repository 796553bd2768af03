package io.vigie.alert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rule evaluator")
class EvaluatorTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final List<PathElement> PATH = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("fridge-1", "asset", "Fridge 1"));
  private final AtomicInteger ids = new AtomicInteger();

  /** Runs a rule over (minute, value) readings like the service does; the ops in order. */
  private List<AlertOp> run(Rule rule, double[][] readings) {
    var ops = new ArrayList<AlertOp>();
    var state = RuleState.NONE;
    Alert open = null;
    for (var reading : readings) {
      var m = reading(reading[0], rule.measurement() == null ? "temperature" : rule.measurement(), reading[1]);
      var step = Evaluator.evaluate(rule, m, state, open, () -> "a" + ids.incrementAndGet());
      state = step.state();
      if (step.op() == null) continue;
      ops.add(step.op());
      var after = Alert.fromJson(open == null ? step.op().json() : open.toJson().mergeIn(step.op().json()));
      open = after.status() == AlertStatus.CLEARED ? null : after;
    }
    return ops;
  }

  private static Rule rule(String json) {
    return RuleParser.parse("r1", "acme", new JsonObject(json).put("nodeId", "acme"));
  }

  private static List<String> kinds(List<AlertOp> ops) {
    return ops.stream().map(op -> op.kind().wire() + (op.json().containsKey("severity") && op.kind() != AlertOp.Kind.OPEN
        ? ":" + op.json().getString("severity") : "")).toList();
  }

  @Test
  @DisplayName("above without duration opens at the first value strictly above and clears at the threshold")
  void above() {
    var ops = run(rule("{\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"severity\":\"major\"}"),
        new double[][] {{0, 8.0}, {1, 8.1}, {2, 9}, {3, 8.0}});
    assertThat(kinds(ops)).containsExactly("open", "update", "clear");
    assertThat(ops.get(0).json().getString("startedAt")).isEqualTo(T0.plusSeconds(60).toString());
    assertThat(ops.get(2).json().getString("clearedBy")).isEqualTo("system");
  }

  @Test
  @DisplayName("above for 15 minutes opens only once the condition has lasted 15 minutes of measurement time, dated then, since its start")
  void duration() {
    var ops = run(rule("{\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"for\":\"PT15M\",\"severity\":\"major\"}"),
        new double[][] {{0, 9}, {10, 9}, {12, 7}, {20, 9}, {30, 9}, {35, 9.5}});
    assertThat(kinds(ops)).containsExactly("open");
    var alert = ops.get(0).json();
    assertThat(alert.getString("since")).isEqualTo(T0.plus(Duration.ofMinutes(20)).toString());
    assertThat(alert.getString("startedAt")).isEqualTo(T0.plus(Duration.ofMinutes(35)).toString());
  }

  @Test
  @DisplayName("hysteresis: an above alert stays open until the value falls to clearBelow")
  void hysteresis() {
    var ops = run(rule("{\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"clearBelow\":6,\"severity\":\"major\"}"),
        new double[][] {{0, 9}, {1, 7.5}, {2, 6.5}, {3, 6}, {4, 7.9}});
    assertThat(kinds(ops)).containsExactly("open", "update", "update", "clear");
  }

  @Test
  @DisplayName("below, battery-low and outside open past their limits and clear past their clear thresholds")
  void belowBatteryOutside() {
    assertThat(kinds(run(rule("{\"kind\":\"below\",\"measurement\":\"temperature\",\"threshold\":0,\"clearAbove\":1,\"severity\":\"minor\"}"),
        new double[][] {{0, -1}, {1, 0.5}, {2, 1}}))).containsExactly("open", "update", "clear");
    var battery = rule("{\"kind\":\"battery-low\",\"threshold\":3.0,\"severity\":\"warning\"}");
    assertThat(battery.measurement()).isEqualTo("battery");
    assertThat(kinds(run(battery, new double[][] {{0, 3.1}, {1, 2.9}, {2, 3.0}}))).containsExactly("open", "clear");
    var outside = rule("{\"kind\":\"outside\",\"measurement\":\"temperature\",\"min\":2,\"max\":8,\"clearBelow\":7,\"clearAbove\":3,\"severity\":\"major\"}");
    assertThat(kinds(run(outside, new double[][] {{0, 5}, {1, 8.5}, {2, 7.5}, {3, 7}, {4, 1}, {5, 2.5}, {6, 3}})))
        .containsExactly("open", "update", "clear", "open", "update", "clear");
  }

  @Test
  @DisplayName("rate compares the change per hour between consecutive measurements")
  void rate() {
    var rising = rule("{\"kind\":\"rate\",\"measurement\":\"temperature\",\"perHour\":6,\"severity\":\"major\"}");
    // +1 °C in 5 minutes is 12 °C/h; +0.2 in 5 minutes is 2.4 °C/h
    var ops = run(rising, new double[][] {{0, 4}, {5, 5}, {10, 5.2}});
    assertThat(kinds(ops)).containsExactly("open", "clear");
    assertThat(ops.get(0).json().getDouble("lastValue")).isEqualTo(12.0);
    var falling = rule("{\"kind\":\"rate\",\"measurement\":\"temperature\",\"perHour\":-6,\"for\":\"PT10M\",\"severity\":\"major\"}");
    assertThat(kinds(run(falling, new double[][] {{0, 4}, {5, 3}, {10, 2}, {15, 1}}))).containsExactly("open");
  }

  @Test
  @DisplayName("escalates an active alert on measurement time since the condition began, one step at a time, upwards only")
  void escalation() {
    var rule = rule("{\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"for\":\"PT15M\",\"severity\":\"major\","
        + "\"escalate\":[{\"after\":\"PT30M\",\"severity\":\"major\"},{\"after\":\"PT1H\",\"severity\":\"critical\"}]}");
    var ops = run(rule, new double[][] {{0, 9}, {15, 9}, {45, 9}, {60, 9}, {70, 9}});
    assertThat(kinds(ops)).containsExactly("open", "update", "escalate:critical", "update");
    assertThat(rule.nextEscalation(Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(30));
    assertThat(rule.nextEscalation(Duration.ofMinutes(60))).isNull();
  }

  @Test
  @DisplayName("a no-data rule's alert clears with any measurement; a measurement without the watched value changes nothing")
  void noDataAndMissing() {
    var noData = rule("{\"kind\":\"no-data\",\"for\":\"PT1H\",\"severity\":\"minor\"}");
    var open = Alert.open("a1", noData, "dev", PATH, T0, T0.plusSeconds(3600), null, "minor");
    var step = Evaluator.evaluate(noData, reading(70, "humidity", 50), RuleState.NONE, open, () -> "x");
    assertThat(step.op().kind()).isEqualTo(AlertOp.Kind.CLEAR);
    var above = rule("{\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"severity\":\"major\"}");
    assertThat(Evaluator.evaluate(above, reading(0, "humidity", 99), RuleState.NONE, null, () -> "x").op()).isNull();
  }

  private static Measurement reading(double minute, String name, double value) {
    return new Measurement("70b3d57ed005a1b2", (long) (minute * 10) + 1, 2, T0.plusSeconds((long) (minute * 60)), "test",
        List.of(), new JsonObject(), List.of(new MeasurementValue(name, "", value)), List.of(), "acme",
        new JsonObject().put("type", "lht65"), PATH);
  }
}
