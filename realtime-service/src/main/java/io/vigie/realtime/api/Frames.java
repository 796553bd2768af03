package io.vigie.realtime.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The frames the server sends, as the SockJS event-bus bridge spells them ({@code rec}, {@code err}) plus this
 * service's own ({@code snapshot}, {@code authenticated}, {@code pong}). {@code docs/realtime.md} lists them.
 */
final class Frames {
  /** A registration refused: no or bad token, out of scope, unknown target, malformed address (all alike). */
  static final String REJECTED = "rejected";
  static final String ACCESS_DENIED = "access_denied";
  static final String INVALID_JSON = "invalid_json";
  static final String INVALID_TYPE = "invalid_type";
  static final String MISSING_ADDRESS = "missing_address";
  static final String MAX_HANDLERS = "max_handlers_reached";
  static final String AUTH_FAILED = "auth_failed";
  static final String TOKEN_EXPIRED = "token_expired";
  static final String DROPPED = "dropped";

  /** WebSocket close codes (4000–4999 are the application's). */
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_IDLE = 4408;

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

  static Buffer err(String code, String address, String message) {
    var frame = new JsonObject().put("type", "err").put("body", code);
    if (address != null) frame.put("address", address);
    if (message != null) frame.put("message", message);
    return frame.toBuffer();
  }

  static Buffer dropped(long count) {
    return new JsonObject().put("type", "err").put("body", DROPPED).put("count", count)
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
