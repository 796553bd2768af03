package io.vigie.lorawan;

import static io.vigie.lorawan.FrameCounter.reconstruct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FrameCounterTest {

  @Test
  @DisplayName("with no counter accepted yet, the 16 wire bits are the counter")
  void first() {
    assertThat(reconstruct(0, FrameCounter.NONE)).isEqualTo(0);
    assertThat(reconstruct(41, FrameCounter.NONE)).isEqualTo(41);
  }

  @Test
  @DisplayName("the next frames of a device keep the upper 16 bits of the last counter")
  void sameEpoch() {
    assertThat(reconstruct(0x0006, 0x0003_0005L)).isEqualTo(0x0003_0006L);
    assertThat(reconstruct(0x0105, 0x0003_0005L)).isEqualTo(0x0003_0105L);
  }

  @Test
  @DisplayName("across a 16-bit rollover the candidate just above the last counter is chosen")
  void rollover() {
    assertThat(reconstruct(0x0000, 0xFFFFL)).isEqualTo(0x1_0000L);
    assertThat(reconstruct(0x0002, 0x0004_FFF0L)).isEqualTo(0x0005_0002L);
    assertThat(reconstruct(0x0000, 0x7FFF_FFFFL)).isEqualTo(0x8000_0000L);
  }

  @Test
  @DisplayName("the same 16 bits as the last counter give the last counter (a re-delivery or a replay)")
  void same() {
    assertThat(reconstruct(0x1234, 0x0007_1234L)).isEqualTo(0x0007_1234L);
  }

  @Test
  @DisplayName("up to MAX_FCNT_GAP (16384) ahead is believed; further is an older frame, below the last counter")
  void gap() {
    assertThat(reconstruct(0x4005, 0x0002_0005L)).isEqualTo(0x0002_4005L);
    assertThat(reconstruct(0x4006, 0x0002_0005L)).as("16385 ahead: taken as 49151 behind").isEqualTo(0x0001_4006L);
    assertThat(reconstruct(0x0004, 0x0002_0005L)).as("one behind").isEqualTo(0x0002_0004L);
    assertThat(reconstruct(0xFFF0, 0x0002_0005L)).as("21 behind, across the epoch").isEqualTo(0x0001_FFF0L);
  }

  @Test
  @DisplayName("a jump beyond the gap that cannot be an older frame (it would be negative) is taken as ahead")
  void noOlderReading() {
    assertThat(reconstruct(20000, 5)).isEqualTo(20000);
  }

  @Test
  @DisplayName("the gap is configurable")
  void configurableGap() {
    assertThat(reconstruct(200, 50, 100)).as("150 ahead with a gap of 100: none older exists").isEqualTo(200);
    assertThat(reconstruct(200, 70_000, 100)).isEqualTo(65_736);
  }

  @Test
  @DisplayName("past 2^32 - 1 the counter wraps below the last one (rejected: the session must be renewed)")
  void overflow() {
    assertThat(reconstruct(0x0001, 0xFFFF_FFFFL)).isEqualTo(1);
  }

  @Test
  @DisplayName("out-of-range inputs are programming errors")
  void invalid() {
    assertThatThrownBy(() -> reconstruct(0x1_0000, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> reconstruct(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
