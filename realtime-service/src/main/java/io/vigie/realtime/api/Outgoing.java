package io.vigie.realtime.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * A frame the server sends, built once however many sockets get it: its JSON text and, for the plain WebSocket, the
 * same text already encoded as WebSocket frames (headers and payload, unmasked as a server sends them) in one direct
 * buffer. Every {@code /ws} socket writes a view of those bytes: no encoder, no copy, no buffer per socket.
 */
final class Outgoing {
  private final Buffer json;
  /** The WebSocket encoding, made by the first socket that needs it (two loops racing make it twice: harmless). */
  private volatile ByteBuf webSocket;

  Outgoing(Buffer json) {
    this.json = json;
  }

  Buffer json() {
    return json;
  }

  int length() {
    return json.length();
  }

  /** A view of the WebSocket frames, with its own read position; releasing it frees nothing (the GC does). */
  ByteBuf webSocket() {
    var frames = webSocket;
    if (frames == null) webSocket = frames = encode(json.getBytes());
    return frames.duplicate();
  }

  /**
   * One text message as WebSocket frames of at most {@link LiveTransport#MAX_FRAME} payload bytes each (a larger one,
   * a snapshot, is a text frame then continuation frames), as Vert.x's {@code writeTextMessage} splits it.
   */
  static ByteBuf encode(byte[] payload) {
    int frames = Math.max(1, (payload.length + LiveTransport.MAX_FRAME - 1) / LiveTransport.MAX_FRAME);
    var out = ByteBuffer.allocateDirect(payload.length + frames * 10);
    int at = 0;
    do {
      int length = Math.min(LiveTransport.MAX_FRAME, payload.length - at);
      boolean last = at + length == payload.length;
      out.put((byte) ((last ? 0x80 : 0) | (at == 0 ? 0x1 : 0x0)));   // FIN; text, then continuation
      if (length < 126) {
        out.put((byte) length);
      } else if (length <= 0xFFFF) {
        out.put((byte) 126).putShort((short) length);
      } else {
        out.put((byte) 127).putLong(length);
      }
      out.put(payload, at, length);
      at += length;
    } while (at < payload.length);
    out.flip();
    // a JDK direct buffer that Netty does not free: every write releases its view, the GC frees the memory
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(out));
  }
}
