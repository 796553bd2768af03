package io.vigie.simulator.sender;

import io.vertx.core.Future;
import io.vigie.simulator.Frame;

/**
 * One way into the platform: a network server's webhook, its MQTT integration, or a gateway's packet forwarder.
 * Senders are thread-safe; {@link #start()} before the first {@link #send}, {@link #close()} at the end.
 */
public interface UplinkSender {

  /** The {@code --adapter} name: {@code chirpstack}, {@code ttn}, {@code thingpark}, {@code mqtt-chirpstack}, … */
  String name();

  /** Connects (MQTT) or binds (UDP); nothing for HTTP. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /** Sends the frame as this path carries it; the future never fails: a failure is an {@link Outcome}. */
  Future<Outcome> send(Frame frame);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
