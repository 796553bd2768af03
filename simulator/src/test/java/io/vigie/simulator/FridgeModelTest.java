package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.DoubleStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Simulated fridges")
class FridgeModelTest {

  @Test
  @DisplayName("a healthy fridge stays around its setpoint with door openings and defrosts above it")
  void healthy() {
    var model = new FridgeModel(4.0, false, 1);
    var readings = DoubleStream.generate(model::next).limit(500).toArray();
    var mean = DoubleStream.of(readings).average().orElseThrow();
    assertThat(mean).isBetween(4.0, 6.0);
    assertThat(DoubleStream.of(readings).max().orElseThrow()).as("doors and defrost warm it").isGreaterThan(7.0);
    assertThat(DoubleStream.of(readings).min().orElseThrow()).isGreaterThan(3.0);
  }

  @Test
  @DisplayName("a failing fridge drifts warm")
  void failing() {
    var model = new FridgeModel(4.0, true, 1);
    for (int i = 0; i < 100; i++) model.next();
    assertThat(model.next()).isGreaterThan(20.0);
  }

  @Test
  @DisplayName("a repaired fridge stops drifting and is back near its setpoint at once")
  void repaired() {
    var model = new FridgeModel(4.0, true, 1);
    for (int i = 0; i < 30; i++) model.next();
    model.repair();
    for (int i = 0; i < 5; i++) model.next();
    assertThat(model.next()).isLessThan(8.0);
  }

  @Test
  @DisplayName("an LPP temperature is channel, type 0x67 and tenths of a degree, big-endian and signed")
  void lpp() {
    assertThat(CayenneLpp.temperature(1, 23.5)).containsExactly(0x01, 0x67, 0x00, 0xeb);
    assertThat(CayenneLpp.temperature(3, -18.2)).containsExactly(0x03, 0x67, 0xff, 0x4a);
  }
}
