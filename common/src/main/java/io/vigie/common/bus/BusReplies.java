package io.vigie.common.bus;

import io.vertx.core.eventbus.Message;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request-reply message with a failure whose code is an HTTP status, so it maps back cleanly. */
public final class BusReplies {
  private static final Logger LOG = LoggerFactory.getLogger(BusReplies.class);

  private BusReplies() {}

  public static void fail(Message<?> message, Throwable failure) {
    var api = Errors.toApiException(failure);
    if (api.status() >= 500 && !(failure instanceof ApiException)) {
      LOG.warn("{} failed: {}", message.address(), failure.toString());
    }
    message.fail(api.status(), api.getMessage());
  }
}
