package io.vigie.alert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The alert state machine")
class AlertStateMachineTest {
  private static final List<PathElement> PATH = List.of(new PathElement("acme", "tenant", "ACME"),
      new PathElement("site-paris", "site", "Paris"));
  private final AtomicInteger ids = new AtomicInteger();
  private final AlertStateMachine machine = new AlertStateMachine(
      RuleSet.of(List.of(ThresholdAboveRule.defaultTemperature(8.0))), () -> "alert-" + ids.incrementAndGet());

  @Test
  @DisplayName("raises nothing at or below the threshold when no alert is current")
  void quiet() {
    assertThat(machine.evaluate(temperature(1, 8.0), Map.of())).isEmpty();
    assertThat(machine.evaluate(temperature(1, -18.0), Map.of())).isEmpty();
  }

  @Test
  @DisplayName("raises an active alert just above the threshold, started at the measurement's reception")
  void raises() {
    var changes = machine.evaluate(temperature(1, 8.01), Map.of());

    assertThat(changes).hasSize(1);
    var change = changes.get(0);
    assertThat(change.kind()).isEqualTo(AlertChange.Kind.RAISED);
    assertThat(change.alert()).isEqualTo(new Alert("alert-1", "acme", "70b3d57ed005a1b2", "default-temperature-above",
        "major", AlertStatus.ACTIVE, at(1), 8.01, null, PATH));
  }

  @Test
  @DisplayName("updates the current alert while above, and clears it at the threshold")
  void lifecycle() {
    var active = machine.evaluate(temperature(1, 9.0), Map.of()).get(0).alert();

    var update = machine.evaluate(temperature(2, 11.0), Map.of(active.ruleId(), active)).get(0);
    var clear = machine.evaluate(temperature(3, 8.0), Map.of(active.ruleId(), update.alert())).get(0);

    assertThat(update.kind()).isEqualTo(AlertChange.Kind.UPDATED);
    assertThat(update.isTransition()).isFalse();
    assertThat(update.alert()).isEqualTo(active.withLastValue(11.0));
    assertThat(clear.kind()).isEqualTo(AlertChange.Kind.CLEARED);
    assertThat(clear.alert().status()).isEqualTo(AlertStatus.CLEARED);
    assertThat(clear.alert().clearedAt()).isEqualTo(at(3));
    assertThat(clear.alert().id()).isEqualTo(active.id());
  }

  @Test
  @DisplayName("has no rule for a measurement without temperature")
  void otherMeasurements() {
    var battery = measurement(1, new MeasurementValue("battery", "V", 3.6));

    assertThat(machine.applicableRules(battery)).isEmpty();
    assertThat(machine.evaluate(battery, Map.of())).isEmpty();
  }

  @Test
  @DisplayName("survives a JSON round trip of an alert")
  void json() {
    var alert = machine.evaluate(temperature(1, 9.0), Map.of()).get(0).alert().cleared(7.5, at(2));

    assertThat(Alert.fromJson(new JsonObject(alert.toJson().encode()))).isEqualTo(alert);
  }

  private static Measurement temperature(long fCnt, double value) {
    return measurement(fCnt, new MeasurementValue("temperature", "Cel", value));
  }

  private static Measurement measurement(long fCnt, MeasurementValue... values) {
    return new Measurement("70b3d57ed005a1b2", fCnt, 2, at(fCnt), "chirpstack-v4", List.of(), new JsonObject(),
        List.of(values), List.of(), "acme", new JsonObject(), PATH);
  }

  private static Instant at(long fCnt) {
    return Instant.parse("2026-11-29T10:00:00Z").plusSeconds(fCnt);
  }
}
