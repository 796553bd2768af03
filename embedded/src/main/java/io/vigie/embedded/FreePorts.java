package io.vigie.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports on the loopback interface, for servers (or child processes) that must be told their port up front.
 *
 * <p>A port is found by binding a {@link ServerSocket} to {@code 127.0.0.1:0} and closing it again, so there is an
 * unavoidable window in which another process may take it; callers that can bind port 0 themselves should prefer that.
 * Within this JVM, a port handed out recently is never handed out again, so two servers started one after the other
 * never get the same port.
 */
public final class FreePorts {

  /** How many recently handed out ports are remembered (and not handed out again). */
  private static final int REMEMBERED = 4096;
  private static final int MAX_ATTEMPTS = 100;
  private static final InetAddress LOOPBACK = loopback();

  private static final Deque<Integer> RECENT = new ArrayDeque<>();
  private static final Set<Integer> RECENT_SET = new HashSet<>();

  private FreePorts() {
  }

  /**
   * Returns a TCP port that is free on 127.0.0.1 right now and was not returned before by this JVM recently.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  public static int find() {
    IOException last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket()) {
        // SO_REUSEADDR off: the port must really be free, not just in TIME_WAIT
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        port = socket.getLocalPort();
      } catch (IOException e) {
        last = e;
        continue;
      }
      if (remember(port)) {
        return port;
      }
    }
    throw new UncheckedIOException("Could not find a free TCP port on the loopback interface", last == null
        ? new IOException("the system kept handing out ports already used by this JVM") : last);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static synchronized boolean remember(int port) {
    if (!RECENT_SET.add(port)) {
      return false;
    }
    RECENT.addLast(port);
    if (RECENT.size() > REMEMBERED) {
      RECENT_SET.remove(RECENT.removeFirst());
    }
    return true;
  }
}
