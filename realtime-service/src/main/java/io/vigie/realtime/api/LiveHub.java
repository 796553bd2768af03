package io.vigie.realtime.api;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who listens to which live address, on this instance. A push is encoded once per message whatever the number of
 * sockets, and handed to each event loop holding subscribers in one task: every socket of that loop gets the same
 * bytes in its own bounded queue ({@link LiveSession#push}). Nothing here waits for a socket.
 */
public final class LiveHub {
  /** address → event loop → its sessions subscribed to the address. */
  private final Map<String, Map<Context, Set<LiveSession>>> subscribers = new ConcurrentHashMap<>();

  /** Pushes {@code body} to every socket subscribed to {@code address}; free when nobody is. */
  public void publish(String address, JsonObject body) {
    var byLoop = subscribers.get(address);
    if (byLoop == null) return;
    Buffer frame = null;
    for (var entry : byLoop.entrySet()) {
      var sessions = entry.getValue();
      if (sessions.isEmpty()) continue;
      if (frame == null) frame = Frames.rec(address, body);
      var shared = frame;
      entry.getKey().runOnContext(v -> sessions.forEach(session -> session.push(address, shared)));
    }
  }

  void add(String address, LiveSession session) {
    subscribers.compute(address, (a, byLoop) -> {
      var loops = byLoop == null ? new ConcurrentHashMap<Context, Set<LiveSession>>() : byLoop;
      loops.computeIfAbsent(loop(session), c -> ConcurrentHashMap.newKeySet()).add(session);
      return loops;
    });
  }

  /** The event loop's own context (each connection has a duplicate of it): one task per loop, not per socket. */
  private static Context loop(LiveSession session) {
    return ((ContextInternal) session.context()).unwrap();
  }

  void remove(String address, LiveSession session) {
    subscribers.computeIfPresent(address, (a, byLoop) -> {
      var sessions = byLoop.get(loop(session));
      if (sessions != null && sessions.remove(session) && sessions.isEmpty()) byLoop.remove(loop(session));
      return byLoop.isEmpty() ? null : byLoop;
    });
  }
}
