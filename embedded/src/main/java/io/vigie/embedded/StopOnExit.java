package io.vigie.embedded;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM shutdown hook of the embedded servers: it stops every server still running when the JVM exits, all in
 * parallel (Elasticsearch may take seconds to stop, the others should not wait for it).
 */
final class StopOnExit {

  private static final Logger LOG = LoggerFactory.getLogger(StopOnExit.class);

  private static final Set<AutoCloseable> RUNNING = new LinkedHashSet<>();
  private static boolean hookInstalled;
  private static boolean shuttingDown;

  private StopOnExit() {
  }

  /** Stops {@code server} when the JVM exits, unless {@link #forget(AutoCloseable)} was called before. */
  static synchronized void register(AutoCloseable server) {
    if (shuttingDown) {
      throw new IllegalStateException("The JVM is shutting down: not starting " + server);
    }
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(StopOnExit::stopAll, "vigie-embedded-servers-shutdown"));
      hookInstalled = true;
    }
    RUNNING.add(server);
  }

  static synchronized void forget(AutoCloseable server) {
    RUNNING.remove(server);
  }

  private static void stopAll() {
    List<AutoCloseable> servers;
    synchronized (StopOnExit.class) {
      shuttingDown = true;
      servers = new ArrayList<>(RUNNING);
    }
    List<Thread> stoppers = new ArrayList<>();
    for (AutoCloseable server : servers) {
      Thread stopper = new Thread(() -> {
        try {
          server.close();
        } catch (Exception e) {
          LOG.warn("Could not stop {} cleanly", server, e);
        }
      }, "vigie-stop-" + server);
      stopper.start();
      stoppers.add(stopper);
    }
    for (Thread stopper : stoppers) {
      try {
        stopper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
