package io.vigie.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The mapping of failures onto the API's errors")
class ErrorsTest {

  @Test
  @DisplayName("a client pool whose wait queue is full (an overload that passes) is a 503 to retry; any other unexpected failure stays a 500 that tells nothing of its cause")
  void poolTooBusy() {
    var busy = Errors.toApiException(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1024"));
    var other = Errors.toApiException(new IllegalStateException("secret-detail"));

    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.getMessage()).contains("retry later");
    assertThat(other.status()).isEqualTo(500);
    assertThat(other.getMessage()).doesNotContain("secret-detail");
  }
}
