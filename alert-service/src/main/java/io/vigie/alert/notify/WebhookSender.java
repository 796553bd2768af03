package io.vigie.alert.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;
import java.net.InetAddress;
import java.net.URI;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Notifies a webhook: a {@code POST} of the transition's alert JSON, exactly as the alert core wrote it, with
 * {@code X-Vigie-Event: alert.changed}, {@code X-Vigie-Signature} over those bytes and {@code X-Vigie-Delivery} (the
 * same on every attempt of one notification: receivers may drop repeats). 2xx is delivered; 408, 429, 5xx, a timeout
 * or no connection are retried; any other answer is not.
 *
 * <p>The URL's host is resolved first and every address it has is checked against {@link WebhookAddresses} (no
 * webhook to a private, loopback or link-local address unless allowed: refused, not retried); the request then goes to
 * the address checked, with the URL's host name in {@code Host} (and TLS's SNI and certificate check).
 */
final class WebhookSender implements Sender {
  /** A host name's addresses (the JDK's resolver, on a worker thread, in production). */
  interface Resolver {
    Future<List<InetAddress>> resolve(String host);
  }

  private final WebClient client;
  private final long timeoutMs;
  private final WebhookAddresses addresses;
  private final Resolver resolver;

  WebhookSender(Vertx vertx, long timeoutMs, WebhookAddresses addresses) {
    this(vertx, timeoutMs, addresses, host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false));
  }

  WebhookSender(Vertx vertx, long timeoutMs, WebhookAddresses addresses, Resolver resolver) {
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Vigie-Notifications/1")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)).setFollowRedirects(false));
    this.timeoutMs = timeoutMs;
    this.addresses = addresses;
    this.resolver = resolver;
  }

  @Override
  public Future<Attempt> send(Channel channel, Transition transition, String deliveryId) {
    var url = URI.create(channel.url());
    var host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    return resolver.resolve(host).transform(resolved -> {
      if (resolved.failed()) return Future.succeededFuture(Attempt.failed(null, "cannot resolve " + host, true));
      var refusal = resolved.result().stream().map(addresses::refusal).flatMap(Optional::stream).findFirst();
      if (refusal.isPresent() || resolved.result().isEmpty()) {
        return Future.succeededFuture(Attempt.failed(null, "refused: " + host + " resolves to "
            + refusal.orElse("no address"), false));
      }
      return post(url, host, resolved.result().get(0), channel, transition, deliveryId);
    });
  }

  private Future<Attempt> post(URI url, String host, InetAddress address, Channel channel, Transition transition,
                               String deliveryId) {
    var body = Buffer.buffer(transition.body());
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    var path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    return client.request(HttpMethod.POST, SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)), port, host, path)
        .ssl(https).timeout(timeoutMs)
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
