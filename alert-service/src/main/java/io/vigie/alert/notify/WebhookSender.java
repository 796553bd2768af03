package io.vigie.alert.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;

/**
 * Notifies a webhook: a {@code POST} of the transition's alert JSON, exactly as the alert core wrote it, with
 * {@code X-Vigie-Event: alert.changed}, {@code X-Vigie-Signature} over those bytes and {@code X-Vigie-Delivery} (the
 * same on every attempt of one notification: receivers may drop repeats). 2xx is delivered; 408, 429, 5xx, a timeout
 * or no connection are retried; any other answer is not.
 */
final class WebhookSender implements Sender {
  private final WebClient client;
  private final long timeoutMs;

  WebhookSender(Vertx vertx, long timeoutMs) {
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Vigie-Notifications/1")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)).setFollowRedirects(false));
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Attempt> send(Channel channel, Transition transition, String deliveryId) {
    var body = Buffer.buffer(transition.body());
    return client.postAbs(channel.url()).timeout(timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Vigie-Event", "alert.changed")
        .putHeader("X-Vigie-Delivery", deliveryId)
        .putHeader(Signature.HEADER, Signature.of(body.getBytes(), channel.secret()))
        .sendBuffer(body)
        .map(response -> {
          int status = response.statusCode();
          if (status >= 200 && status < 300) return Attempt.delivered(status);
          boolean retryable = status >= 500 || status == 408 || status == 429;
          return Attempt.failed(status, "answered HTTP " + status, retryable);
        })
        .otherwise(failure -> Attempt.failed(null, describe(failure), true));
  }

  private static String describe(Throwable failure) {
    var name = failure.getClass().getSimpleName();
    var message = failure.getMessage();
    return message == null ? name : name + ": " + message;
  }
}
