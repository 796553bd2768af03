package io.vigie.embedded;

import java.nio.file.Path;

/** Run in a separate JVM by {@link WatchedProcessTest}: starts a Redis, reports its port, then waits to be killed. */
public final class OrphanProbe {

  private OrphanProbe() {
  }

  public static void main(String[] args) throws Exception {
    EmbeddedRedis redis = EmbeddedRedis.start(Path.of(args[0]), 0, false);
    System.out.println("READY " + redis.port());
    System.out.flush();
    // until killed (or stdin closes)
    while (System.in.read() != -1) {
      // ignore input
    }
    redis.close();
  }
}
