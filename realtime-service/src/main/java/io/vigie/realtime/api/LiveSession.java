package io.vigie.realtime.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.realtime.domain.LiveAddress;
import io.vigie.realtime.store.LatestValues.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, whatever its transport, living on its connection's event loop: its token, its
 * subscriptions, and its bounded queue of pushes. At most {@link #IN_FLIGHT} bytes are handed to the transport and
 * not yet gone to the network; beyond, pushes wait in the queue, and a client that reads too slowly loses its oldest
 * pushes (and is told how many). It never holds back the hub or other sockets. Frames are handled one after the other.
 */
final class LiveSession {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSession.class);
  /** Bytes written and not yet sent before pushes wait in the queue (the socket buffers hold more). */
  static final int IN_FLIGHT = 256 * 1024;
  /** Frames received and not yet handled (registrations wait for the registry) before the connection is closed. */
  private static final int MAX_WAITING = 1000;

  private final LiveEndpoint endpoint;
  private final LiveTransport transport;
  private final ContextInternal context;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private long dropped;
  private long inFlight;
  /** Bytes written since the last flush. */
  private long unflushed;
  /** Whether the hub will call {@link #flushPushes} at the end of its current batch. */
  private boolean inBatch;
  private int waiting;
  private boolean closed;
  private VigiePrincipal principal;
  private String token;
  /** Timer ids: the token's expiry, the heartbeat, the authentication deadline (-1: none). */
  private long expiryTimer = -1, heartbeatTimer = -1, authTimer = -1;
  private long lastSeen = System.currentTimeMillis();
  /** The frames this client may still send now (a token bucket: {@code frameBurst}, refilled at the rate). */
  private double allowance;
  private long refilledAt = System.nanoTime();
  /** Whether this session's first drop, first refused subscription over the cap, were logged (once each). */
  private boolean dropLogged, capLogged;
  private Future<?> inbox = Future.succeededFuture();

  /** A subscription; while its snapshot is read, its pushes wait in {@code held} (then null: live). */
  private static final class Subscription {
    ArrayDeque<Outgoing> held = new ArrayDeque<>();
  }

  LiveSession(LiveEndpoint endpoint, LiveTransport transport, Context context) {
    this.endpoint = endpoint;
    this.transport = transport;
    this.context = (ContextInternal) context;
    this.allowance = endpoint.services().config().frameBurst();
  }

  Context context() {
    return context;
  }

  void start() {
    var vertx = context.owner();
    transport.frameHandler(this::onFrame, this::alive);
    transport.closeHandler(this::onClosed);
    heartbeatTimer = vertx.setPeriodic(endpoint.services().config().heartbeatMs(), id -> heartbeat());
    authTimer = vertx.setTimer(endpoint.services().config().authTimeoutMs(), id -> {
      if (principal == null) close(Frames.CLOSE_UNAUTHORIZED, "authentication required");
    });
    var connectToken = transport.connectToken();
    if (connectToken != null) {
      inbox = authenticate(connectToken).onFailure(failure -> {
        send(Frames.err(Frames.Code.AUTH_FAILED, null, "invalid or expired token"));
        close(Frames.CLOSE_UNAUTHORIZED, "invalid or expired token");
      });
    }
  }

  /**
   * A push for {@code address}, from the hub, on this session's event loop: written, or queued, not flushed. Answers
   * true the first time in a batch it wrote something: the hub then calls {@link #flushPushes} once at the batch's end.
   */
  boolean push(String address, Outgoing frame) {
    var subscription = subscriptions.get(address);
    if (closed || subscription == null) return false;
    if (subscription.held != null) {
      bounded(subscription.held, frame);
    } else if (queue.isEmpty() && dropped == 0 && inFlight < IN_FLIGHT) {
      write(frame);  // the usual case: nothing waits, straight to the socket
      endpoint.count(true);
    } else {
      bounded(queue, frame);
      writeQueued();
    }
    if (inBatch || unflushed == 0) return false;
    inBatch = true;
    return true;
  }

  /** The end of the hub's batch: what its pushes wrote leaves in one flush. */
  void flushPushes() {
    inBatch = false;
    flush();
  }

  private void bounded(ArrayDeque<Outgoing> frames, Outgoing frame) {
    if (frames.size() >= endpoint.services().config().queueSize()) {
      frames.pollFirst();
      dropped++;
      endpoint.count(false);
      if (!dropLogged) {
        dropLogged = true;
        LOG.info("a {} client of {} reads too slowly: its oldest pushes are dropped (counted in vigie_realtime_pushes_total"
            + "{outcome=dropped})", transport.kind(), who());
      }
    }
    frames.addLast(frame);
  }

  /** Writes what waits while the transport takes it; first the notice of what was dropped since last time. */
  private void writeQueued() {
    if (closed) return;
    if (dropped > 0 && inFlight < IN_FLIGHT) {
      write(new Outgoing(Frames.dropped(dropped)));
      dropped = 0;
    }
    while (!queue.isEmpty() && inFlight < IN_FLIGHT) {
      write(queue.pollFirst());
      endpoint.count(true);
    }
  }

  /** A frame of this session's own (snapshot, error, pong), sent at once. */
  private void send(Buffer frame) {
    write(new Outgoing(frame));
    flush();
  }

  /** Every frame goes out here, counted in flight from now until the transport says it left. */
  private void write(Outgoing frame) {
    inFlight += frame.length();
    unflushed += frame.length();
    transport.write(frame);
  }

  private void flush() {
    if (unflushed == 0 || inBatch) return;
    var length = unflushed;
    unflushed = 0;
    transport.flush(() -> {
      if (context.nettyEventLoop().inEventLoop()) {
        sent(length);
      } else {
        context.runOnContext(v -> sent(length));
      }
    });
  }

  private void sent(long length) {
    inFlight -= length;
    if (!queue.isEmpty() || dropped > 0) {
      writeQueued();
      flush();
    }
  }

  private void alive() {
    lastSeen = System.currentTimeMillis();
  }

  private void onFrame(Buffer data) {
    if (closed) return;  // what was in flight when the connection was closed
    alive();
    if (!withinRate()) {
      var config = endpoint.services().config();
      LOG.warn("closed a {} connection of {}: more than {} frames a second (burst {})", transport.kind(), who(),
          config.maxFramesPerSecond(), config.frameBurst());
      send(Frames.err(Frames.Code.RATE_LIMITED, null, "more than " + config.maxFramesPerSecond()
          + " frames a second: the connection is closed"));
      close(Frames.CLOSE_POLICY, "too many frames");
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      send(Frames.err(Frames.Code.INVALID_JSON, null, "frames are JSON objects"));
      return;
    }
    if ("ping".equals(frame.getValue("type"))) {
      if (transport.answersPing()) send(Frames.pong());
      return;
    }
    // one frame after the other: a register is decided before the unregister that follows it
    if (++waiting > MAX_WAITING) {
      close(Frames.CLOSE_POLICY, "too many frames waiting");
      return;
    }
    inbox = inbox.transform(ignored -> {
      if (closed) return Future.succeededFuture();
      try {
        return handle(frame);
      } catch (ClassCastException e) {
        send(Frames.err(Frames.Code.INVALID_JSON, null, "a field has the wrong type"));
        return Future.succeededFuture();
      }
    }).onComplete(done -> waiting--);
  }

  /** Takes one frame from the bucket; false when it is empty. */
  private boolean withinRate() {
    var config = endpoint.services().config();
    var now = System.nanoTime();
    allowance = Math.min(config.frameBurst(), allowance + (now - refilledAt) * config.maxFramesPerSecond() / 1e9);
    refilledAt = now;
    if (allowance < 1) return false;
    allowance -= 1;
    return true;
  }

  /** Who is at the other end, for a log line: the token's subject (never the token). */
  private String who() {
    return principal == null ? "an unauthenticated client" : principal.subject();
  }

  private Future<?> handle(JsonObject frame) {
    var type = frame.getValue("type");
    if ("auth".equals(type)) {
      return authenticate(text(frame, "token")).transform(verified -> {
        send(verified.succeeded() ? Frames.authenticated(principal.subject(), expiry(token))
            : Frames.err(Frames.Code.AUTH_FAILED, null, verified.cause().getMessage()));
        return Future.succeededFuture();
      });
    }
    if ("register".equals(type)) return register(frame);
    if ("unregister".equals(type)) {
      var address = text(frame, "address");
      if (address != null && subscriptions.remove(address) != null) endpoint.services().hub().remove(address, this);
      return Future.succeededFuture();
    }
    if ("send".equals(type) || "publish".equals(type)) {
      send(Frames.err(Frames.Code.ACCESS_DENIED, frame.getValue("address") instanceof String a ? a : null, "clients only listen: send and publish are refused"));
      return Future.succeededFuture();
    }
    send(Frames.err(Frames.Code.INVALID_TYPE, null, "type is auth, register, unregister or ping"));
    return Future.succeededFuture();
  }

  private Future<?> register(JsonObject frame) {
    var address = text(frame, "address");
    if (address == null) {
      send(Frames.err(Frames.Code.MISSING_ADDRESS, null, "register needs an address"));
      return Future.succeededFuture();
    }
    var headerToken = SubscriptionGuard.token(frame.getJsonObject("headers"));
    // a token in the register frame (as the event-bus client sends it) is the one that decides this registration
    Future<VigiePrincipal> caller = headerToken == null ? Future.succeededFuture(principal)
        : authenticate(headerToken).otherwise((VigiePrincipal) null);
    return here(caller.compose(who -> endpoint.services().guard().decide(who, address))).onSuccess(decision -> {
      if (closed) return;
      if (!decision.allowed()) {
        send(Frames.err(Frames.Code.REJECTED, address, "no such address, or not within your scopes"));
      } else if (!subscriptions.containsKey(address) && subscriptions.size() >= endpoint.services().config().maxSubscriptionsPerSocket()) {
        endpoint.services().meters().counter("vigie.realtime.subscriptions", "outcome", "over_limit").increment();
        if (!capLogged) {
          capLogged = true;
          LOG.info("{} holds {} subscriptions on one {} connection: more are refused", who(), subscriptions.size(),
              transport.kind());
        }
        send(Frames.err(Frames.Code.MAX_HANDLERS_REACHED, address, "too many subscriptions on this connection"));
      } else {
        subscribe(address, decision.target());
      }
    });
  }

  /** Subscribes (again) and sends the snapshot; the pushes that arrive meanwhile follow it. */
  private void subscribe(String address, LiveAddress target) {
    var subscription = new Subscription();
    // interned, as the hub's pushes are: the lookup of each push then compares references, not characters
    if (subscriptions.put(address.intern(), subscription) == null) endpoint.services().hub().add(address, this);
    here(endpoint.services().latest().of(target, principal)).onComplete(read -> {
      if (closed || subscriptions.get(address) != subscription) return;
      var snapshot = read.succeeded() ? read.result() : Snapshot.unavailable();
      send(Frames.snapshot(address, snapshot.items(), snapshot.complete()));
      var held = subscription.held;
      subscription.held = null;
      held.forEach(frame -> bounded(queue, frame));
      writeQueued();
      flush();
    });
  }

  /**
   * Verifies a token and makes it this connection's: its principal decides the next registrations, its expiry closes
   * the connection unless a fresh token comes first. A connection belongs to one user: another user's token fails.
   */
  private Future<VigiePrincipal> authenticate(String candidate) {
    if (candidate == null || candidate.isBlank()) return Future.failedFuture(new SecurityException("no token"));
    if (candidate.equals(token) && principal != null) return Future.succeededFuture(principal);
    return here(endpoint.verify(candidate)).compose(verified -> {
      var expiresAt = expiry(candidate);
      if (expiresAt != null && !expiresAt.isAfter(Instant.now())) return Future.failedFuture(new SecurityException("token expired"));
      if (principal != null && !(principal.subject().equals(verified.subject()) && principal.tenant().equals(verified.tenant()))) {
        return Future.failedFuture(new SecurityException("a connection belongs to one user: open another one"));
      }
      var rescoped = principal != null && !principal.equals(verified);
      principal = verified;
      token = candidate;
      scheduleExpiry(expiresAt);
      if (rescoped) recheck();
      return Future.succeededFuture(verified);
    }, failure -> Future.failedFuture(failure instanceof SecurityException ? failure : new SecurityException("invalid or expired token")));
  }

  /** After a token with other grants: the subscriptions it no longer allows end, with an err frame each. */
  private void recheck() {
    for (var address : List.copyOf(subscriptions.keySet())) {
      here(endpoint.services().guard().decide(principal, address)).onSuccess(decision -> {
        if (decision.allowed() || subscriptions.remove(address) == null) return;
        endpoint.services().hub().remove(address, this);
        send(Frames.err(Frames.Code.REJECTED, address, "no longer within your scopes"));
      });
    }
  }

  private void scheduleExpiry(Instant expiresAt) {
    var vertx = context.owner();
    if (expiryTimer >= 0) vertx.cancelTimer(expiryTimer);
    expiryTimer = -1;
    if (expiresAt == null) return;
    expiryTimer = vertx.setTimer(Math.max(1, expiresAt.toEpochMilli() - System.currentTimeMillis()), id -> {
      expiryTimer = -1;
      send(Frames.err(Frames.Code.TOKEN_EXPIRED, null,
          "the token expired: send {\"type\":\"auth\",\"token\":…} with a fresh one before expiry, or connect again"));
      close(Frames.CLOSE_UNAUTHORIZED, "token expired");
    });
  }

  private void heartbeat() {
    if (closed) return;
    var idle = System.currentTimeMillis() - lastSeen;
    if (idle > endpoint.services().config().idleTimeoutMs()) {
      close(Frames.CLOSE_IDLE, "idle for " + idle + " ms");
    } else {
      transport.ping();
    }
  }

  private void close(short code, String reason) {
    if (closed) return;
    var kind = code == Frames.CLOSE_IDLE ? "idle" : code == Frames.CLOSE_POLICY ? "flood" : "unauthorized";
    endpoint.services().meters().counter("vigie.realtime.closes", "reason", kind).increment();
    transport.close(code, reason);
    onClosed();
  }

  private void onClosed() {
    if (closed) return;
    closed = true;
    var vertx = context.owner();
    for (var timer : new long[] {expiryTimer, heartbeatTimer, authTimer}) {
      if (timer >= 0) vertx.cancelTimer(timer);
    }
    subscriptions.keySet().forEach(address -> endpoint.services().hub().remove(address, this));
    subscriptions.clear();
    queue.clear();
    endpoint.closed(transport.kind());
  }

  /** The future, its callbacks on this session's event loop whoever completes it. */
  private <T> Future<T> here(Future<T> future) {
    Promise<T> promise = context.promise();
    future.onComplete(promise);
    return promise.future();
  }

  /** A text field; a field of another type is a {@link ClassCastException} (answered {@code invalid_json}). */
  private static String text(JsonObject frame, String field) {
    var value = frame.getValue(field);
    if (value == null || value instanceof String) return (String) value;
    throw new ClassCastException(field + " is not a string");
  }

  /** The {@code exp} of a token already verified (its signature checked), null when it has none. */
  static Instant expiry(String token) {
    if (token == null) return null;
    var parts = token.split("\\.");
    if (parts.length < 2) return null;
    try {
      var claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.getValue("exp") instanceof Number exp ? Instant.ofEpochSecond(exp.longValue()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
