package io.vigie.realtime.api;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** One client connection as a {@link LiveSession} sees it: the plain WebSocket of {@code /ws} or a SockJS socket. */
interface LiveTransport {
  /** The largest WebSocket frame written whole: the default limit of Vert.x and many other clients. */
  int MAX_FRAME = 65_536;

  /** {@code ws} or {@code sockjs}, for metrics. */
  String kind();

  /** Completes once the frame left for the network (or failed); a client that does not read holds it pending. */
  Future<Void> write(Buffer frame);

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

  static LiveTransport of(ServerWebSocket ws) {
    return new LiveTransport() {
      @Override public String kind() { return "ws"; }
      @Override public Future<Void> write(Buffer frame) {
        if (frame.length() > MAX_FRAME) {
          return ws.writeTextMessage(frame.toString(StandardCharsets.UTF_8));  // split in frames clients accept (snapshots)
        }
        // one text frame over the shared bytes (the public API takes a String, which would re-encode per socket)
        ByteBuf bytes = ((BufferInternal) frame).getByteBuf();
        return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes, true));
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

  static LiveTransport of(SockJSSocket socket) {
    return new LiveTransport() {
      @Override public String kind() { return "sockjs"; }
      @Override public Future<Void> write(Buffer frame) { return socket.write(frame); }
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
