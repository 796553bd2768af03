package io.vigie.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The mapping of failures onto the API's errors")
class ErrorsTest {

  @Test
  @DisplayName("a client pool whose wait queue is full (an overload that passes) is a 503 to retry, not a 500")
  void poolTooBusy() {
    var api = Errors.toApiException(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1024"));
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.getMessage()).contains("retry later");
  }

  @Test
  @DisplayName("any other unexpected failure stays a 500 that tells nothing of its cause")
  void otherFailure() {
    var api = Errors.toApiException(new IllegalStateException("secret-detail"));
    assertThat(api.status()).isEqualTo(500);
    assertThat(api.getMessage()).doesNotContain("secret-detail");
  }
}
