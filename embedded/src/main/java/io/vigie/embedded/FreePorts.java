package io.vigie.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface, for servers (or child processes) that must be told their port up front.
 *
 * <p>A port is found by binding a {@link ServerSocket} to it and closing it again, so there is an unavoidable window in
 * which another process may take it; callers that can bind port 0 themselves should prefer that. Ports are picked below
 * the system's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, Linux: 32768–60999), where outgoing
 * connections take their source ports: a port handed out here is then not taken in that window by a connection of
 * another process (ten service JVMs connecting to each other while they start), only by another server. Where that
 * range cannot be read, or no port below it is free, the system picks (port 0).
 * Within this JVM, a port handed out recently is never handed out again, so two servers started one after the other
 * never get the same port.
 */
public final class FreePorts {

  /** How many recently handed out ports are remembered (and not handed out again). */
  private static final int REMEMBERED = 4096;
  private static final int MAX_ATTEMPTS = 100;
  private static final InetAddress LOOPBACK = loopback();
  /** Lowest port handed out below the ephemeral range (above the well-known and common service ports). */
  private static final int MIN_PORT = 20000;
  /** First port of the ephemeral range; 0 when it cannot be read. */
  private static final int BELOW_EPHEMERAL = ephemeralStart();

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
    for (int attempt = 0; attempt < 2 * MAX_ATTEMPTS; attempt++) {
      // first below the ephemeral range, then (none free there) wherever the system gives one
      int wanted = attempt < MAX_ATTEMPTS && BELOW_EPHEMERAL > MIN_PORT
          ? MIN_PORT + ThreadLocalRandom.current().nextInt(BELOW_EPHEMERAL - MIN_PORT) : 0;
      int port;
      try (ServerSocket socket = new ServerSocket()) {
        // SO_REUSEADDR off: the port must really be free, not just in TIME_WAIT
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(LOOPBACK, wanted), 1);
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

  private static int ephemeralStart() {
    try {
      // not Files.readString: on Java 17 it gives "3" for this file (procfs reports a size of 0), which turned the
      // whole choice below the range off; a line reader reads to the end
      var range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
