package io.vigie.embedded;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server (the binary shipped by {@code com.github.codemonstur:embedded-redis}) listening on 127.0.0.1 only.
 *
 * <p>Everything lives in the work directory: {@code redis.conf}, the log {@code redis.log} (the server's own log and its
 * console output), the server binary ({@code bin/}) and, with {@code appendOnly}, the append-only file, so that the data
 * survives a restart on the same work directory. Without {@code appendOnly} nothing is persisted.
 *
 * <p>The server is a child process under a watchdog: it is stopped by {@link #close()}, by the JVM shutdown hook and,
 * if the JVM is killed, by the watchdog.
 *
 * <p>The binary can be replaced by setting the system property {@code embedded.redis.executable} or the environment
 * variable {@code EMBEDDED_REDIS_EXECUTABLE} to the path of a {@code redis-server}.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int PORT_ATTEMPTS = 3;
  private static final String LOG_FILE = "redis.log";

  private final Path workDir;
  private final int port;
  private final WatchedProcess process;
  private boolean closed;

  private EmbeddedRedis(Path workDir, int port, WatchedProcess process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts a Redis server and returns once it answers {@code PING}.
   *
   * @param workDir    created if needed; holds the configuration, the log and (with {@code appendOnly}) the data
   * @param port       the TCP port on 127.0.0.1, or 0 for a free one
   * @param appendOnly {@code true}: AOF persistence in {@code workDir} (data kept across restarts); {@code false}: no
   *                   persistence at all
   * @throws IOException if the server cannot be started (the message includes the end of its log)
   */
  public static EmbeddedRedis start(Path workDir, int port, boolean appendOnly) throws IOException {
    return start(workDir, port, appendOnly, "");
  }

  /** {@link #start(Path, int, boolean)} with more {@code redis.conf} lines (a cluster node's, say). */
  static EmbeddedRedis start(Path workDir, int port, boolean appendOnly, String moreConfig) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Path dir = workDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Path executable = executable(dir);
    for (int attempt = 1; ; attempt++) {
      int actualPort = port == 0 ? FreePorts.find() : port;
      try {
        return start(dir, executable, actualPort, appendOnly, moreConfig);
      } catch (PortTakenException e) {
        if (port != 0 || attempt >= PORT_ATTEMPTS) {
          throw e;
        }
        LOG.info("Port {} was taken before Redis could bind it, trying another one", actualPort);
      }
    }
  }

  private static EmbeddedRedis start(Path dir, Path executable, int port, boolean appendOnly, String moreConfig)
      throws IOException {
    Path config = dir.resolve("redis.conf");
    Path log = dir.resolve(LOG_FILE);
    Files.writeString(config, configuration(dir, port, appendOnly, log) + moreConfig, StandardCharsets.UTF_8);
    long logStart = InfraFiles.size(log);

    LOG.info("Starting Redis on 127.0.0.1:{} in {}{}", port, dir, appendOnly ? " (append-only persistence)" : "");
    WatchedProcess process = WatchedProcess.start("Redis", List.of(executable.toString(), config.toString()),
        Map.of(), dir, log);
    EmbeddedRedis redis = new EmbeddedRedis(dir, port, process);
    StopOnExit.register(redis);
    try {
      awaitReady(process, port, log, logStart);
    } catch (IOException | RuntimeException e) {
      redis.close();
      throw e;
    }
    LOG.info("Redis is ready at {}", redis.url());
    return redis;
  }

  private static String configuration(Path dir, int port, boolean appendOnly, Path log) {
    StringBuilder conf = new StringBuilder()
        .append("# written by ").append(EmbeddedRedis.class.getName()).append(" at every start\n")
        .append("bind 127.0.0.1\n")
        .append("protected-mode yes\n")
        .append("port ").append(port).append('\n')
        .append("daemonize no\n")
        .append("dir ").append(quote(dir.toString())).append('\n')
        .append("logfile ").append(quote(log.toString())).append('\n')
        .append("loglevel notice\n")
        // never write RDB snapshots: with appendOnly the AOF is the persistence, without it there is none
        .append("save \"\"\n");
    if (appendOnly) {
      conf.append("appendonly yes\n")
          .append("appendfilename \"appendonly.aof\"\n")
          .append("appendfsync everysec\n");
    } else {
      conf.append("appendonly no\n");
    }
    return conf.toString();
  }

  /** A double-quoted redis.conf string. */
  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** The redis-server binary: a configured one, else the one shipped in the embedded-redis jar, copied to the work dir. */
  private static Path executable(Path dir) throws IOException {
    String configured = System.getProperty("embedded.redis.executable", System.getenv("EMBEDDED_REDIS_EXECUTABLE"));
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new IOException("The configured Redis executable is missing or not executable: " + path);
      }
      return path;
    }
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    try {
      File file = ExecutableProvider.newJarResourceProvider(bin.toFile()).get();
      return file.toPath();
    } catch (RuntimeException e) {
      // OsArchitectureNotFound, UnknownOSName...
      throw new IOException("embedded-redis ships no Redis binary for this platform (" + System.getProperty("os.name")
          + " " + System.getProperty("os.arch") + "): set the system property embedded.redis.executable to a "
          + "redis-server binary", e);
    }
  }

  private static void awaitReady(WatchedProcess process, int port, Path log, long logStart) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String lastAnswer = null;
    while (true) {
      if (!process.isAlive()) {
        String output = InfraFiles.since(log, logStart);
        String message = "Redis exited with code " + process.exitValue() + " while starting on port " + port
            + "; end of " + log + ":\n" + InfraFiles.lastLines(output, 30);
        if (output.contains("Address already in use")) {
          throw new PortTakenException(message);
        }
        throw new IOException(message);
      }
      lastAnswer = probe(process, port);
      if ("PONG".equals(lastAnswer)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Redis did not answer PING within " + START_TIMEOUT.toSeconds() + " s on port " + port
            + (lastAnswer == null ? "" : " (last answer: " + lastAnswer + ")") + "; end of " + log + ":\n"
            + InfraFiles.lastLines(InfraFiles.since(log, logStart), 30));
      }
      pause(50);
    }
  }

  /**
   * PING, then the server's process id (INFO server) so that another server answering on the same port is not taken
   * for ours: "PONG" if our server is ready, else its reply ("-LOADING ...", "someone else's server") or {@code null}
   * if nothing answers.
   */
  private static String probe(WatchedProcess process, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String pong = readLine(in);
      if (!"+PONG".equals(pong)) {
        return pong;
      }
      out.write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String header = readLine(in);
      if (!header.startsWith("$")) {
        return header;
      }
      String info = new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
      Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
      if (pid.find() && process.owns(Long.parseLong(pid.group(1)))) {
        return "PONG";
      }
      return "a Redis server that is not ours (" + (pid.find(0) ? "pid " + pid.group(1) : "unknown pid") + ")";
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r' && line.length() < 512) {
      line.append((char) c);
    }
    if (c == '\r') {
      in.read(); // \n
    }
    return line.toString();
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for Redis to start", e);
    }
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Stops the server (gracefully: with append-only persistence the AOF is flushed) and waits for it. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      process.stop(STOP_GRACE);
      closed = true;
    }
    StopOnExit.forget(this);
    LOG.info("Redis on port {} stopped", port);
  }

  /**
   * For fault tests: sends {@code signal} to the server's processes (not to its watchdog). {@code KILL} crashes it
   * ({@link #close()} it, then start a new one on the same folder and port), {@code STOP} freezes it: connections
   * stay open and hang until {@code CONT}.
   *
   * @throws IOException if the server has no process left or {@code kill} failed
   */
  public void signal(String signal) throws IOException {
    process.signal(signal);
  }

  @Override
  public String toString() {
    return "Redis " + url() + " (" + workDir + ")";
  }

  /** The port was taken between picking it and the server binding it. */
  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
