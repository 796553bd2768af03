package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the service and the shared test Elasticsearch, which the tests cannot stop: closing the
 * proxy (listener and every open connection) makes Elasticsearch unreachable, opening it again on the same port
 * makes it reachable.
 */
final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;

  TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Listens on {@code port} (0: a free one, then the same one on every later open). */
  Future<Integer> open(int wanted) {
    server = vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      sockets.add(inbound);
      inbound.closeHandler(v -> sockets.remove(inbound));
      client.connect(targetPort, targetHost).onSuccess(outbound -> {
        sockets.add(outbound);
        outbound.closeHandler(v -> sockets.remove(outbound));
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
      }).onFailure(e -> inbound.close());
    });
    return server.listen(wanted, "127.0.0.1").map(listening -> port = listening.actualPort());
  }

  Future<Integer> reopen() {
    return open(port);
  }

  /** Stops listening and cuts every connection. */
  Future<Void> close() {
    var closing = new ArrayList<Future<Void>>();
    closing.add(server.close());
    sockets.forEach(socket -> closing.add(socket.close()));
    return Future.join(closing).mapEmpty();
  }

  int port() {
    return port;
  }
}
