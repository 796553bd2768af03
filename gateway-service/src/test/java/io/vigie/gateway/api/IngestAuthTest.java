package io.vigie.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IngestAuthTest {
  private final IngestAuth auth = new IngestAuth("s3cr3t-é");

  @Test
  @DisplayName("only the secret itself is accepted: not a prefix, a longer value, the same length with one character off, nor empty")
  void onlyTheSecret() {
    assertThat(auth.matches("s3cr3t-é")).isTrue();
    assertThat(auth.matches("s3cr3t-")).isFalse();
    assertThat(auth.matches("s3cr3t-és3cr3t-é")).isFalse();
    assertThat(auth.matches("s3cr3t-e")).isFalse();
    assertThat(auth.matches("S3cr3t-é")).isFalse();
    assertThat(auth.matches("")).isFalse();
  }
}
