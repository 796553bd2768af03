package io.vigie.realtime.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One client connection as a {@link LiveSession} sees it: the plain WebSocket of {@code /ws} or a SockJS socket. */
interface LiveTransport {
  /** The largest WebSocket frame payload: the default limit of Vert.x and many other clients (a longer text is split). */
  int MAX_FRAME = 65_536;

  /** {@code ws} or {@code sockjs}, for metrics. */
  String kind();

  /** Hands a frame to the transport; it leaves for the network at the latest with the next {@link #flush}. */
  void write(Outgoing frame);

  /**
   * Sends what was written; {@code sent} runs once all of it left for the network (or failed): a client that does not
   * read holds it back. It may run at once, or later on the connection's event loop.
   */
  void flush(Runnable sent);

  /** Frames from the client (JSON text), and the client's pongs as a sign of life. */
  void frameHandler(Handler<Buffer> frames, Runnable alive);

  void closeHandler(Runnable handler);

  void close(short code, String reason);

  /** A heartbeat to the client where the transport has one (WebSocket ping); SockJS sends its own. */
  void ping();

  /** Whether {@code {"type":"ping"}} is answered with {@code {"type":"pong"}} (the event-bus client does not expect it). */
  boolean answersPing();

  /** The JWT given when connecting: {@code Authorization: Bearer} header, else {@code access_token} query parameter. */
  String connectToken();

  /**
   * The plain WebSocket, written straight to its Netty channel (the connection's, from Vert.x's HTTP/1.1 server): a
   * frame is a view of bytes encoded once for every socket, written without a flush, so that the pushes of one batch
   * leave in one system call. Control frames (ping, close) stay Vert.x's.
   */
  static LiveTransport of(ServerWebSocket ws, Channel channel) {
    Objects.requireNonNull(channel, "a WebSocket of Vert.x's HTTP/1.1 server has a Netty channel");
    return new LiveTransport() {
      /** Where encoded frames go: past the frame encoder (and what precedes it), towards TLS if any and the socket. */
      private ChannelHandlerContext encoded;

      @Override public String kind() { return "ws"; }
      @Override public void write(Outgoing frame) {
        if (channel.isActive()) encoded().write(frame.webSocket(), channel.voidPromise());
      }
      @Override public void flush(Runnable sent) {
        // the empty write completes after everything written before it
        encoded().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> sent.run());
      }
      private ChannelOutboundInvoker encoded() {
        if (encoded == null || encoded.isRemoved()) encoded = channel.pipeline().context(WebSocketFrameEncoder.class);
        return encoded != null ? encoded : channel;
      }
      @Override public void frameHandler(Handler<Buffer> frames, Runnable alive) {
        ws.handler(frames);
        ws.pongHandler(pong -> alive.run());
      }
      @Override public void closeHandler(Runnable handler) { ws.closeHandler(v -> handler.run()); }
      @Override public void close(short code, String reason) { if (!ws.isClosed()) ws.close(code, reason); }
      @Override public void ping() { ws.writePing(Buffer.buffer()); }
      @Override public boolean answersPing() { return true; }
      @Override public String connectToken() { return token(ws.headers(), ws.query()); }
    };
  }

  /** The Netty channel of an HTTP/1.1 connection of Vert.x's server, null for any other kind. */
  static Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  static LiveTransport of(SockJSSocket socket) {
    return new LiveTransport() {
      @Override public String kind() { return "sockjs"; }
      private Future<Void> last = Future.succeededFuture();

      @Override public void write(Outgoing frame) { last = socket.write(frame.json()); }
      @Override public void flush(Runnable sent) { last.onComplete(done -> sent.run()); }
      @Override public void frameHandler(Handler<Buffer> frames, Runnable alive) { socket.handler(frames); }
      @Override public void closeHandler(Runnable handler) { socket.closeHandler(v -> handler.run()); }
      @Override public void close(short code, String reason) { socket.close(code, reason); }
      @Override public void ping() {}
      @Override public boolean answersPing() { return false; }
      @Override public String connectToken() {
        var uri = socket.uri();
        var query = uri == null || uri.indexOf('?') < 0 ? null : uri.substring(uri.indexOf('?') + 1);
        return token(socket.headers(), query);
      }
    };
  }

  private static String token(MultiMap headers, String query) {
    var header = headers == null ? null : headers.get("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()) {
      return header.substring(7).trim();
    }
    if (query == null) return null;
    for (var parameter : query.split("&")) {
      if (parameter.startsWith("access_token=") && parameter.length() > "access_token=".length()) {
        return URLDecoder.decode(parameter.substring("access_token=".length()), StandardCharsets.UTF_8).trim();
      }
    }
    return null;
  }
}
