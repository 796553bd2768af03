package io.vigie.embedded;

import io.vigie.embedded.ElasticsearchReadiness.PortTakenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch, run as a child process from the distribution the build unpacks, listening on
 * 127.0.0.1 only, without security (plain HTTP, no credentials).
 *
 * <p>Work directory layout: {@code config/} (a copy of the distribution's configuration: Elasticsearch writes its
 * keystore there), {@code data/} (kept across restarts), {@code logs/} (Elasticsearch's own logs, e.g.
 * {@code logs/vigie.log}), {@code tmp/}, and {@code console.log} (the process's stdout and stderr).
 *
 * <p>Where the distribution comes from: {@link ElasticsearchDistribution}. Elasticsearch refuses to run as root: when
 * this JVM runs as root, Elasticsearch runs as the user {@code nobody} ({@link RunAsNobody}). Ready means
 * {@link ElasticsearchReadiness}.
 *
 * <p>The process runs under a watchdog (it cannot outlive this JVM, even after {@code kill -9}), is stopped by
 * {@link #close()} and by the JVM shutdown hook. The heap is 512 MiB unless the environment variable
 * {@code VIGIE_ES_HEAP} or the system property {@code vigie.es.heap} says otherwise (e.g. {@code 1g}).
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

  /** The Elasticsearch version this class runs (from the build: {@code elasticsearch.version}). */
  public static final String VERSION = ElasticsearchDistribution.VERSION;

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int PORT_ATTEMPTS = 3;
  private static final String DEFAULT_HEAP = "512m";

  private final Path workDir;
  private final int port;
  private final WatchedProcess process;
  private boolean closed;

  private EmbeddedElasticsearch(Path workDir, int port, WatchedProcess process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts Elasticsearch and returns once the cluster is at least yellow (about 15 s).
   *
   * @param workDir  created if needed: configuration copy, data, logs, temporary files
   * @param httpPort the HTTP port on 127.0.0.1, or 0 for a free one (the transport port is always a free one)
   * @param progress receives a line about every 5 s while Elasticsearch boots (may be {@code null})
   * @throws IOException if no distribution is found or Elasticsearch does not become ready (the message includes the
   *                     end of its log)
   */
  public static EmbeddedElasticsearch start(Path workDir, int httpPort, Consumer<String> progress) throws IOException {
    Path dir = workDir.toAbsolutePath().normalize();
    return start(dir, httpPort, progress, ElasticsearchDistribution.locate(dir));
  }

  /** As {@link #start(Path, int, Consumer)}, with an explicit distribution. */
  static EmbeddedElasticsearch start(Path workDir, int httpPort, Consumer<String> progress, Path home)
      throws IOException {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be between 0 and 65535: " + httpPort);
    }
    Consumer<String> report = progress == null ? line -> { } : progress;
    Path dir = workDir.toAbsolutePath().normalize();
    Path esHome = home.toAbsolutePath().normalize();
    if (!Files.isRegularFile(esHome.resolve("bin/elasticsearch"))) {
      throw new IOException("Not an Elasticsearch distribution (no bin/elasticsearch): " + esHome);
    }
    if (RunAsNobody.isRoot()) {
      esHome = RunAsNobody.reachableHome(esHome, report);
      dir = RunAsNobody.reachableWorkDir(dir, report);
    }
    ElasticsearchDistribution.prepareWorkDir(dir, esHome);
    List<String> runAs = RunAsNobody.prefix(dir, esHome);

    for (int attempt = 1; ; attempt++) {
      int http = httpPort == 0 ? FreePorts.find() : httpPort;
      int transport = FreePorts.find();
      try {
        return start(dir, esHome, runAs, http, transport, report);
      } catch (PortTakenException e) {
        // a requested HTTP port that is taken stays taken; a free port picked here may have been taken meanwhile
        if (attempt >= PORT_ATTEMPTS || (e.httpPort && httpPort != 0)) {
          throw e;
        }
        LOG.info("A port was taken before Elasticsearch could bind it, trying other ones");
      }
    }
  }

  private static EmbeddedElasticsearch start(Path dir, Path home, List<String> runAs, int http, int transport,
      Consumer<String> report) throws IOException {
    List<String> command = new ArrayList<>(runAs);
    command.add(home.resolve("bin/elasticsearch").toString());
    for (String setting : settings(dir, http, transport)) {
      command.add("-E" + setting);
    }
    Map<String, String> environment = new LinkedHashMap<>();
    // ES ignores JAVA_HOME: ES_JAVA_HOME is the JVM it runs on; this one is known to work
    environment.put("ES_JAVA_HOME", System.getProperty("java.home"));
    String heap = heap();
    String extra = System.getProperty("vigie.es.java-opts", System.getenv("VIGIE_ES_JAVA_OPTS"));
    environment.put("ES_JAVA_OPTS", ("-Xms" + heap + " -Xmx" + heap + " " + (extra == null ? "" : extra)).strip());
    environment.put("ES_PATH_CONF", dir.resolve("config").toString());
    environment.put("ES_TMPDIR", dir.resolve("tmp").toString());
    // options meant for this JVM (IDE or coverage agents...) must not reach Elasticsearch's JVMs
    for (String inherited : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS",
        "CLI_JAVA_OPTS", "ES_HOME")) {
      environment.put(inherited, null);
    }

    Path log = dir.resolve("console.log");
    long logStart = InfraFiles.size(log);
    String user = runAs.isEmpty() ? "" : " as user nobody";
    LOG.info("Starting Elasticsearch {} on 127.0.0.1:{}{} (home {}, work dir {}, heap {})", VERSION, http, user, home,
        dir, heap);
    report.accept("Starting Elasticsearch " + VERSION + " on port " + http + user + "…");
    long started = System.nanoTime();
    WatchedProcess process = WatchedProcess.start("Elasticsearch", command, environment, dir, log);
    EmbeddedElasticsearch elasticsearch = new EmbeddedElasticsearch(dir, http, process);
    StopOnExit.register(elasticsearch);
    try {
      ElasticsearchReadiness.await(process, http, log, logStart, started, report);
    } catch (IOException | RuntimeException e) {
      elasticsearch.close();
      throw e;
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    LOG.info("Elasticsearch is ready at {} ({} s)", elasticsearch.url(), seconds);
    report.accept("Elasticsearch ready at " + elasticsearch.url() + " in " + seconds + " s");
    return elasticsearch;
  }

  private static List<String> settings(Path dir, int http, int transport) {
    return List.of(
        "discovery.type=single-node",
        "cluster.name=vigie",
        "node.name=vigie",
        "network.host=127.0.0.1",
        "http.port=" + http,
        "transport.port=" + transport,
        "path.data=" + dir.resolve("data"),
        "path.logs=" + dir.resolve("logs"),
        "xpack.security.enabled=false",
        "xpack.ml.enabled=false",
        // a full-ish developer disk must not turn indices read-only
        "cluster.routing.allocation.disk.threshold_enabled=false",
        // tests clean up with wildcard deletes (DELETE /vigie-test-*)
        "action.destructive_requires_name=false");
  }

  private static String heap() {
    String heap = System.getProperty("vigie.es.heap", System.getenv("VIGIE_ES_HEAP"));
    if (heap == null || heap.isBlank()) {
      return DEFAULT_HEAP;
    }
    heap = heap.strip();
    if (!heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("Invalid Elasticsearch heap size (vigie.es.heap / VIGIE_ES_HEAP): " + heap);
    }
    return heap;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /**
   * Stops Elasticsearch and waits for it: SIGTERM to its process tree, SIGKILL after 20 s. Idempotent.
   */
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
    LOG.info("Elasticsearch on port {} stopped", port);
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
    return "Elasticsearch " + url() + " (" + workDir + ")";
  }
}
