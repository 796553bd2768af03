package io.vigie.registry.client;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;

/**
 * The one mapping of a failed registry request onto the API's errors: the registry's own answer keeps its status
 * (404 not found, 409 conflict, 400…), a registry that is not running or too slow is a 503 that says so.
 */
public final class RegistryFailures {
  private RegistryFailures() {}

  /**
   * @param address the registry address that was asked
   * @param timeoutMs how long it was waited for
   */
  public static ApiException toApiException(Throwable failure, String address, long timeoutMs) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return ApiException.unavailable("the device registry is not running (nothing answers on " + address + ")");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return ApiException.unavailable("the device registry did not answer " + address + " within " + timeoutMs + " ms");
      }
    }
    return Errors.toApiException(failure);
  }

  /** Whether a failure is the registry's "no such thing". */
  public static boolean isNotFound(Throwable failure) {
    return failure instanceof ApiException api && api.status() == 404;
  }

  /** Whether a failure means the registry could not be asked (503): the answer may differ later. */
  public static boolean isUnavailable(Throwable failure) {
    return failure instanceof ApiException api && api.status() == 503;
  }
}
