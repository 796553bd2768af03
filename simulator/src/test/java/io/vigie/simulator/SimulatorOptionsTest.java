package io.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's command line")
class SimulatorOptionsTest {

  @Test
  @DisplayName("defaults to ChirpStack HTTP on localhost for 60 s, secrets from the environment, counters from the clock")
  void defaults() {
    var options = SimulatorOptions.parse(new String[0], Map.of("VIGIE_INGEST_TOKEN", "t", "VIGIE_ADMIN_PASSWORD", "p"));
    assertThat(options.url()).isEqualTo("http://localhost:8080");
    assertThat(options.ingestToken()).isEqualTo("t");
    assertThat(options.adminPassword()).isEqualTo("p");
    assertThat(options.adapter()).isEqualTo("chirpstack");
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.firstFCnt()).isEqualTo(FleetOptions.CLOCK);
    assertThat(options.mqttUrl()).isEqualTo("tcp://localhost:1883");
    assertThat(options.udpHost()).isEqualTo("localhost");
    assertThat(options.warnings()).isEmpty();
  }

  @Test
  @DisplayName("reads every option; udp counters start at 1; a count alone means no time limit")
  void everything() {
    var options = SimulatorOptions.parse(new String[] {"--url", "http://vigie.internal:9000", "--ingest-token", "s",
        "--admin-user", "ops", "--admin-password", "pw", "--devices", "500", "--first-device", "1001", "--rate", "250",
        "--count", "10000", "--adapter", "UDP", "--gateways", "3", "--udp-port", "1701", "--device-interval", "500ms",
        "--silence", "0.01", "--max-in-flight", "64", "--seed", "9"}, Map.of());
    assertThat(options.devices()).isEqualTo(500);
    assertThat(options.firstDevice()).isEqualTo(1001);
    assertThat(options.rate()).isEqualTo(250);
    assertThat(options.count()).isEqualTo(10_000);
    assertThat(options.duration()).isNull();
    assertThat(options.adapter()).isEqualTo("udp");
    assertThat(options.gateways()).isEqualTo(3);
    assertThat(options.udpHost()).isEqualTo("vigie.internal");
    assertThat(options.udpPort()).isEqualTo(1701);
    assertThat(options.deviceInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(options.firstFCnt()).isEqualTo(1);
    assertThat(options.fleetOptions().silenceProbability()).isEqualTo(0.01);
    assertThat(options.warnings()).isEmpty();
  }

  @Test
  @DisplayName("says when the fleet is too small for the rate, and refuses bad values with the option's name")
  void warningsAndErrors() {
    var tooFast = SimulatorOptions.parse(new String[] {"--devices", "10", "--rate", "100"}, Map.of());
    assertThat(tooFast.warnings()).singleElement().asString().contains("at most 10 uplinks/s");
    assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--adapter", "lora"}, Map.of()))
        .hasMessageContaining("--adapter is one of");
    assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--rate", "fast"}, Map.of())).hasMessageContaining("--rate");
    assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--duration", "soon"}, Map.of())).hasMessageContaining("--duration");
    assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--devices"}, Map.of())).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--frobnicate", "1"}, Map.of())).hasMessageContaining("unknown option");
  }
}
