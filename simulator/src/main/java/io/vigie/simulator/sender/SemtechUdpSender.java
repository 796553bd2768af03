package io.vigie.simulator.sender;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vigie.simulator.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gateways running the Semtech UDP packet forwarder: each gateway that heard a frame sends its own PUSH_DATA (from
 * its own socket, as separate gateways do), so a frame heard by several arrives several times and the platform
 * must merge the copies. Each gateway also sends a PULL_DATA keep-alive every 10 s.
 *
 * <p>The outcome is the PUSH_ACK of every copy: the platform acknowledges the datagram on receipt, before any
 * decoding (the protocol is at most once), so storage is checked in Elasticsearch, not here. All UDP work runs on the
 * context of {@link #start()}.
 */
public final class SemtechUdpSender implements UplinkSender {
  public static final String NAME = "udp";
  public static final long DEFAULT_ACK_TIMEOUT_MS = 5_000;
  private static final long KEEP_ALIVE_MS = 10_000;

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final long ackTimeoutMs;
  private final Map<String, Gateway> gateways = new HashMap<>();
  private Context context;

  /** One simulated gateway: its socket, its tokens, its datagrams waiting for their ack. */
  private final class Gateway {
    final String eui;
    final DatagramSocket socket;
    final Map<Integer, Promise<Void>> waiting = new HashMap<>();
    final long keepAlive;
    int nextToken;
    Future<Void> bound;

    Gateway(String eui) {
      this.eui = eui;
      this.socket = vertx.createDatagramSocket();
      socket.handler(packet -> {
        var token = SemtechPackets.ackToken(packet.data(), SemtechPackets.PUSH_ACK);
        var promise = token < 0 ? null : waiting.remove(token);
        if (promise != null) promise.tryComplete();
      });
      this.bound = socket.listen(0, "0.0.0.0").mapEmpty();
      this.keepAlive = vertx.setPeriodic(0, KEEP_ALIVE_MS, id -> bound.onSuccess(v -> socket.send(
          SemtechPackets.pullData(token(), eui), port, host)));
    }

    int token() {
      nextToken = (nextToken + 1) & 0xFFFF;
      return nextToken;
    }

    Future<Void> push(Frame frame, Frame.Reception rx) {
      return bound.compose(v -> {
        var token = token();
        var promise = Promise.<Void>promise();
        var previous = waiting.put(token, promise);
        if (previous != null) previous.tryFail("token reused before its PUSH_ACK");
        var timer = vertx.setTimer(ackTimeoutMs, id -> {
          if (waiting.remove(token, promise)) promise.tryFail("no PUSH_ACK from " + host + ":" + port + " within " + ackTimeoutMs + " ms");
        });
        Buffer datagram = SemtechPackets.pushData(token, frame, rx);
        socket.send(datagram, port, host).onFailure(e -> {
          waiting.remove(token, promise);
          promise.tryFail("not sent: " + e.getMessage());
        });
        return promise.future().onComplete(done -> vertx.cancelTimer(timer));
      });
    }

    Future<Void> close() {
      vertx.cancelTimer(keepAlive);
      waiting.values().forEach(p -> p.tryFail("closed"));
      waiting.clear();
      return socket.close();
    }
  }

  public SemtechUdpSender(Vertx vertx, String host, int port) {
    this(vertx, host, port, DEFAULT_ACK_TIMEOUT_MS);
  }

  public SemtechUdpSender(Vertx vertx, String host, int port, long ackTimeoutMs) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.ackTimeoutMs = ackTimeoutMs;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return Future.succeededFuture();
  }

  /** Sends one PUSH_DATA per gateway in {@link Frame#receptions()}, all at once. */
  @Override
  public Future<Outcome> send(Frame frame) {
    return onContext(() -> {
      var copies = new ArrayList<Future<Void>>();
      for (var rx : frame.receptions()) {
        copies.add(gateways.computeIfAbsent(rx.gatewayEui(), Gateway::new).push(frame, rx));
      }
      return Future.all(copies).map(all -> Outcome.acked(false))
          .otherwise(e -> Outcome.failed(e.getMessage()));
    });
  }

  @Override
  public Future<Void> close() {
    if (context == null) return Future.succeededFuture();
    return onContext(() -> {
      var closing = gateways.values().stream().map(Gateway::close).toList();
      gateways.clear();
      return Future.join(closing).mapEmpty();
    });
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (context == null) return Future.failedFuture("start() the sender first");
    var promise = Promise.<T>promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
