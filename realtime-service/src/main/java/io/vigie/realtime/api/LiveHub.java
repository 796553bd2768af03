package io.vigie.realtime.api;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who listens to which live address, on this instance. A push is encoded once per message whatever the number of
 * sockets ({@link Outgoing}: its JSON and its WebSocket frame), and handed to each event loop holding subscribers:
 * every socket of that loop gets the same bytes in its own bounded queue ({@link LiveSession#push}). A loop takes
 * every message that arrived since it last ran in one task, and flushes each of its sockets once for all of them.
 * Nothing here waits for a socket.
 */
public final class LiveHub {
  /** address → event loop → its sessions subscribed to the address. */
  private final Map<String, Map<Loop, Set<LiveSession>>> subscribers = new ConcurrentHashMap<>();
  private final Map<Context, Loop> loops = new ConcurrentHashMap<>();

  /** Pushes {@code body} to every socket subscribed to {@code address}; free when nobody is. */
  public void publish(String address, JsonObject body) {
    var byLoop = subscribers.get(address);
    if (byLoop == null) return;
    Outgoing frame = null;
    for (var entry : byLoop.entrySet()) {
      if (entry.getValue().isEmpty()) continue;
      if (frame == null) frame = new Outgoing(Frames.rec(address, body));
      entry.getKey().offer(new Delivery(address.intern(), entry.getValue(), frame));   // sessions key theirs interned
    }
  }

  void add(String address, LiveSession session) {
    subscribers.compute(address, (a, byLoop) -> {
      var sessionsByLoop = byLoop == null ? new ConcurrentHashMap<Loop, Set<LiveSession>>() : byLoop;
      sessionsByLoop.computeIfAbsent(loop(session), c -> ConcurrentHashMap.newKeySet()).add(session);
      return sessionsByLoop;
    });
  }

  void remove(String address, LiveSession session) {
    subscribers.computeIfPresent(address, (a, byLoop) -> {
      var loop = loop(session);
      var sessions = byLoop.get(loop);
      if (sessions != null && sessions.remove(session) && sessions.isEmpty()) byLoop.remove(loop);
      return byLoop.isEmpty() ? null : byLoop;
    });
  }

  /** The event loop of a session (each connection has a duplicate of the loop's context): one task per loop. */
  private Loop loop(LiveSession session) {
    return loops.computeIfAbsent(((ContextInternal) session.context()).unwrap(), Loop::new);
  }

  /** One message for the sessions of one loop. */
  private record Delivery(String address, Set<LiveSession> sessions, Outgoing frame) {}

  /** An event loop's share of the pushes: what arrived since its last turn, taken in one task. */
  private static final class Loop {
    /** Messages taken in one task at most (each written to every subscribed socket of the loop). */
    private static final int MAX_PER_TURN = 64;
    private final Context context;
    private final Queue<Delivery> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The sessions written to in the current task (used on the loop only). */
    private final List<LiveSession> written = new ArrayList<>();

    Loop(Context context) {
      this.context = context;
    }

    void offer(Delivery delivery) {
      pending.add(delivery);
      if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }

    private void drain() {
      scheduled.set(false);
      Delivery delivery;
      for (int taken = 0; taken < MAX_PER_TURN && (delivery = pending.poll()) != null; taken++) {
        for (var session : delivery.sessions()) {
          if (session.push(delivery.address(), delivery.frame())) written.add(session);
        }
      }
      written.forEach(LiveSession::flushPushes);
      written.clear();
      // a loop behind takes the rest in its next turn: its sockets' reads and write completions come in between
      if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }
  }
}
