package io.vigie.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
      "application/+/device/+/event/up, application/17c8/device/0101010101010101/event/up, true",
      "application/+/device/+/event/up, application/17c8/device/0101010101010101/event/join, false",
      "application/+/device/+/event/up, application/17c8/device/event/up, false",
      "v3/+/devices/+/up, v3/cold-chain@ttn/devices/fridge-0042/up, true",
      "v3/+/devices/+/up, v3/cold-chain@ttn/devices/fridge-0042/up/normalized, false",
      "$share/vigie/v3/+/devices/+/up, v3/app/devices/d/up, true",
      "eu/#, eu, true",
      "eu/#, eu/a/b, true",
      "eu/#, us/a, false"})
  @DisplayName("MQTT filters match topic names level by level")
  void matches(String filter, String topic, boolean expected) {
    assertThat(TopicFilter.matches(filter, topic)).isEqualTo(expected);
  }
}
