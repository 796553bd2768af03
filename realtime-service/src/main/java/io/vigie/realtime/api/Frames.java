package io.vigie.realtime.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * The frames the server sends, as the SockJS event-bus bridge spells them ({@code rec}, {@code err}) plus this
 * service's own ({@code snapshot}, {@code authenticated}, {@code pong}). {@code docs/realtime.md} lists them.
 */
final class Frames {
  /** The {@code body} of an {@code err} frame: the bridge's codes where they exist, lower case on the wire. */
  enum Code {
    /** A registration refused: no or bad token, out of scope, unknown target, malformed address (all alike). */
    REJECTED, ACCESS_DENIED, INVALID_JSON, INVALID_TYPE, MISSING_ADDRESS, MAX_HANDLERS_REACHED, AUTH_FAILED,
    TOKEN_EXPIRED, DROPPED, RATE_LIMITED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** WebSocket close codes (4000–4999 are the application's). */
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_IDLE = 4408;
  /** The client sent frames faster than allowed or handled (WebSocket's "policy violation"). */
  static final short CLOSE_POLICY = 1008;

  private Frames() {}

  /** A push: encoded once, the same bytes written to every socket subscribed to the address. */
  static Buffer rec(String address, JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", address).put("body", body).toBuffer();
  }

  /** What was stored before, sent once per (re)registration before its pushes; {@code complete} false when partial. */
  static Buffer snapshot(String address, JsonArray body, boolean complete) {
    return new JsonObject().put("type", "snapshot").put("address", address).put("body", body)
        .put("complete", complete).toBuffer();
  }

  static Buffer err(Code code, String address, String message) {
    var frame = new JsonObject().put("type", "err").put("body", code.wire());
    if (address != null) frame.put("address", address);
    if (message != null) frame.put("message", message);
    return frame.toBuffer();
  }

  static Buffer dropped(long count) {
    return new JsonObject().put("type", "err").put("body", Code.DROPPED.wire()).put("count", count)
        .put("message", count + " pushes dropped: the connection was too slow").toBuffer();
  }

  static Buffer authenticated(String subject, Instant expiresAt) {
    var frame = new JsonObject().put("type", "authenticated").put("subject", subject);
    if (expiresAt != null) frame.put("expiresAt", expiresAt.toString());
    return frame.toBuffer();
  }

  static Buffer pong() {
    return new JsonObject().put("type", "pong").toBuffer();
  }
}
