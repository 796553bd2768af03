package io.vigie.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StageTimeoutsTest {

  @Test
  @DisplayName("unset, each stage waits its sized default: decode 14 s, enrich 12 s, alert 3 s")
  void sizedDefaults() {
    assertThat(StageTimeouts.from(config(new JsonObject()))).isEqualTo(new StageTimeouts(14_000, 12_000, 3000));
  }

  @Test
  @DisplayName("a shorter bus.requestTimeout shortens the stages not configured, never those configured")
  void cappedByTheBusTimeout() {
    var bus = new JsonObject().put("requestTimeout", 3000).put("stageTimeout", new JsonObject().put("decode", "5s"));
    assertThat(StageTimeouts.from(config(bus))).isEqualTo(new StageTimeouts(5000, 3000, 3000));
  }

  @Test
  @DisplayName("durations read as 3s, 2500ms, 1.5s, 1m or a number of milliseconds, as the environment gives them")
  void durations() {
    assertThat(StageTimeouts.millis("x", "3s")).isEqualTo(3000);
    assertThat(StageTimeouts.millis("x", "2500ms")).isEqualTo(2500);
    assertThat(StageTimeouts.millis("x", "1.5s")).isEqualTo(1500);
    assertThat(StageTimeouts.millis("x", "1m")).isEqualTo(60_000);
    assertThat(StageTimeouts.millis("x", "750")).isEqualTo(750);
    assertThat(StageTimeouts.millis("x", 42)).isEqualTo(42);
  }

  @Test
  @DisplayName("a value that is no duration, or not positive, is refused with the setting and its variable")
  void refused() {
    assertThatThrownBy(() -> StageTimeouts.from(config(new JsonObject().put("stageTimeout", new JsonObject().put("enrich", "soon")))))
        .hasMessageContaining("bus.stageTimeout.enrich (VIGIE_STAGE_TIMEOUT_ENRICH)").hasMessageContaining("soon");
    assertThatThrownBy(() -> StageTimeouts.from(config(new JsonObject().put("stageTimeout", new JsonObject().put("alert", "0s")))))
        .hasMessageContaining("must be positive");
  }

  /** The shared settings with this {@code bus} section. */
  private static VigieConfig config(JsonObject bus) {
    return VigieConfig.from(new JsonObject().put("bus", bus));
  }
}
