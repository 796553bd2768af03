package io.vigie.common.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vigie.common.config.VigieConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one client can hold of a service's HTTP port, whatever it sends (installed by the launcher on every
 * server of the port):
 * <ul>
 *   <li>at most {@code http.maxConnections} ({@code VIGIE_HTTP_MAX_CONNECTIONS}) connections open at once, WebSockets
 *       included; a connection beyond is closed at once;</li>
 *   <li>a request's headers must be complete within {@code http.requestTimeout} ms ({@code VIGIE_HTTP_REQUEST_TIMEOUT})
 *       of the connection's opening (or of the previous response's end: an idle keep-alive connection is closed after
 *       as long), and its body within as long of its headers; a client dribbling bytes (slowloris) is cut there, which
 *       an idle timeout alone would not do;</li>
 *   <li>a request line over 4,096 bytes is answered 414, headers over 8,192 bytes 431 (Vert.x's bounds, kept).</li>
 * </ul>
 * A connection whose request is being answered is left alone, whatever the time (not the client's fault), and so is
 * a WebSocket (the live endpoint has its own deadlines); an upgrade a route refused is answered, and the connection
 * watched again. Every close is counted in
 * {@code vigie_http_connections_closed_total{reason}} and, but for idle keep-alives, logged with the client's address
 * (at most one line per reason every 10 s, with the count since).
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long LOG_EVERY_MS = 10_000;

  /** Settings read from the configuration tree. */
  public record Settings(long requestTimeoutMs, int maxConnections) {
    public static Settings from(JsonObject raw) {
      var timeout = VigieConfig.integer(raw, "http.requestTimeout", 30_000);
      if (timeout < 100) {
        throw new IllegalArgumentException("http.requestTimeout (VIGIE_HTTP_REQUEST_TIMEOUT) must be >= 100 ms, got " + timeout);
      }
      var max = VigieConfig.integer(raw, "http.maxConnections", 10_000);
      if (max < 1) {
        throw new IllegalArgumentException("http.maxConnections (VIGIE_HTTP_MAX_CONNECTIONS) must be >= 1, got " + max);
      }
      return new Settings(timeout, max);
    }
  }

  /** Why a connection was closed: the tag of the counter, and what the log line says. */
  private enum Reason {
    TOO_MANY("too_many", "more than %d connections open"),
    HEADERS("header_timeout", "request headers not complete within %d ms"),
    BODY("body_timeout", "request body not complete within %d ms"),
    IDLE("idle", "idle for %d ms");

    final String tag;
    final String text;

    Reason(String tag, String text) {
      this.tag = tag;
      this.text = text;
    }
  }

  /** One connection's state; written on its event loop, read by the check. */
  private static final class Watch {
    final HttpConnection connection;
    final AtomicReference<HttpServerRequest> request = new AtomicReference<>();
    volatile long since = System.currentTimeMillis();
    /** Whether the current request asks for a WebSocket: unanswered, it is one (its body never ends). */
    volatile boolean upgrade;
    /** Whether a request was answered: then waiting for the next one is keep-alive idleness. */
    volatile boolean answered;
    /** Whether its close was counted. */
    final AtomicBoolean released = new AtomicBoolean();

    Watch(HttpConnection connection) {
      this.connection = connection;
    }
  }

  private final Settings settings;
  private final MeterRegistry meters;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
  private final Map<Reason, AtomicLong> unlogged = new ConcurrentHashMap<>();
  private final Map<Reason, AtomicLong> loggedAt = new ConcurrentHashMap<>();

  /** Starts the periodic check on {@code vertx}; one guard for all the servers of a port. */
  public ConnectionGuard(Vertx vertx, Settings settings, MeterRegistry meters) {
    this.settings = settings;
    this.meters = meters;
    meters.gauge("vigie.http.connections", open);
    var period = Math.max(50, Math.min(1000, settings.requestTimeoutMs() / 5));
    vertx.setPeriodic(period, id -> check());
  }

  /**
   * The options of every server of the port. No h2c: with it, Vert.x makes a connection only once the first request's
   * headers are complete (to see whether it asks to upgrade), so a client that never completes them would be out of
   * the guard's sight.
   */
  public HttpServerOptions options() {
    return new HttpServerOptions().setHttp2ClearTextEnabled(false);
  }

  /** A server of the port, guarded, serving {@code handler}. */
  public HttpServer server(Vertx vertx, Handler<HttpServerRequest> handler) {
    return vertx.createHttpServer(options()).connectionHandler(this::connected).requestHandler(request -> {
      var watch = watches.get(request.connection());
      if (watch != null) {
        watch.since = System.currentTimeMillis();
        watch.upgrade = request.canUpgradeToWebSocket();
        watch.request.set(request);
      }
      handler.handle(request);
    });
  }

  private void connected(HttpConnection connection) {
    if (open.incrementAndGet() > settings.maxConnections()) {
      open.decrementAndGet();
      cut(connection, Reason.TOO_MANY, settings.maxConnections());
      return;
    }
    var watch = new Watch(connection);
    watches.put(connection, watch);
    Runnable closed = () -> {
      watches.remove(connection);
      if (watch.released.compareAndSet(false, true)) open.decrementAndGet();
    };
    // the channel's own close: an upgraded connection (a WebSocket) no longer calls the HTTP connection's closeHandler
    if (connection instanceof ConnectionBase base) {
      base.channel().closeFuture().addListener(future -> closed.run());
    } else {
      connection.closeHandler(v -> closed.run());
    }
  }

  /** Closes the connections past their deadline. */
  private void check() {
    var now = System.currentTimeMillis();
    var limit = settings.requestTimeoutMs();
    for (var watch : watches.values()) {
      var request = watch.request.get();
      Reason reason;
      if (request == null) {
        reason = Reason.HEADERS;
      } else if (watch.upgrade && !request.response().ended()) {
        continue;  // the upgrade being decided
      } else if (watch.upgrade && request.response().getStatusCode() == 101) {
        watches.remove(watch.connection);  // a WebSocket now: out of the watch (its close still frees its place)
        continue;
      } else if (!request.isEnded()) {
        reason = Reason.BODY;
      } else if (request.response().ended()) {
        // answered: the next request's headers are due within the limit of the answer's end (seen now)
        if (watch.request.compareAndSet(request, null)) {
          watch.answered = true;
          watch.since = now;
        }
        continue;
      } else {
        continue;  // the service is answering: not the client's time
      }
      if (now - watch.since <= limit) continue;
      if (reason == Reason.HEADERS && watch.answered) reason = Reason.IDLE;
      if (watches.remove(watch.connection) == null) continue;
      cut(watch.connection, reason, limit);
    }
  }

  private void cut(HttpConnection connection, Reason reason, long limit) {
    meters.counter("vigie.http.connections.closed", "reason", reason.tag).increment();
    var address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().host();
    connection.close();
    if (reason == Reason.IDLE) return;
    var count = unlogged.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    var last = loggedAt.computeIfAbsent(reason, r -> new AtomicLong());
    var now = System.currentTimeMillis();
    var previous = last.get();
    if (now - previous >= LOG_EVERY_MS && last.compareAndSet(previous, now)) {
      unlogged.get(reason).addAndGet(-count);
      LOG.warn("closed the HTTP connection from {}: {} ({} such closes since the last line)", address,
          String.format(reason.text, limit), count);
    }
  }
}
