package io.vigie.testing.infra;

import io.vigie.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
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
 * <p>The distribution (Elasticsearch home) is, in this order: the system property {@code vigie.es.home}, the environment
 * variable {@code VIGIE_ES_HOME}, else the distribution zip in the local Maven repository, unpacked once into
 * {@code <workDir>/../elasticsearch-dist}.
 *
 * <p>Elasticsearch refuses to run as root: when this JVM runs as root, Elasticsearch runs as the user {@code nobody}
 * (uid/gid 65534) through {@code setpriv}, and the work directory is handed over to that user.
 *
 * <p>The process runs under a watchdog (it cannot outlive this JVM, even after {@code kill -9}), is stopped by
 * {@link #close()} and by the JVM shutdown hook. The heap is 512 MiB unless the environment variable
 * {@code VIGIE_ES_HEAP} or the system property {@code vigie.es.heap} says otherwise (e.g. {@code 1g}).
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

  /** The Elasticsearch version this class runs (from the build: {@code elasticsearch.version}). */
  public static final String VERSION = loadVersion();

  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final int PORT_ATTEMPTS = 3;
  private static final String DEFAULT_HEAP = "512m";
  /** The unprivileged user Elasticsearch runs as when this JVM is root: {@code nobody}. */
  static final int UNPRIVILEGED_ID = 65534;

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
    return start(dir, httpPort, progress, locateHome(dir));
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
    if (isRoot()) {
      esHome = reachableHome(esHome, report);
      dir = reachableWorkDir(dir, report);
    }
    prepareWorkDir(dir, esHome);
    List<String> runAs = runAsPrefix(dir, esHome);

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
      awaitReady(process, http, log, logStart, started, report);
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

  private static void awaitReady(WatchedProcess process, int port, Path log, long logStart, long started,
      Consumer<String> report) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    HttpRequest nodeProcess = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/_nodes/_local/process?filter_path=nodes.*.process.id"))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    long deadline = started + START_TIMEOUT.toNanos();
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    String lastAnswer = "no answer";
    while (true) {
      if (!process.isAlive()) {
        String newOutput = InfraFiles.since(log, logStart);
        String message = "Elasticsearch exited with code " + process.exitValue() + " while starting on port " + port
            + "; end of " + log + ":\n" + InfraFiles.lastLines(newOutput, 40);
        if (newOutput.contains("BindHttpException")) {
          throw new PortTakenException(message, true);
        }
        if (newOutput.contains("BindTransportException") || newOutput.contains("Address already in use")) {
          throw new PortTakenException(message, false);
        }
        throw new IOException(message);
      }
      try {
        HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          // the node answering must be ours, not another one that already had the port
          HttpResponse<String> node = client.send(nodeProcess, HttpResponse.BodyHandlers.ofString());
          Matcher pid = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(node.body());
          if (node.statusCode() == 200 && pid.find() && process.owns(Long.parseLong(pid.group(1)))) {
            return;
          }
          lastAnswer = "an Elasticsearch that is not ours: " + node.body();
        } else {
          lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for Elasticsearch to start", e);
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IOException("Elasticsearch did not become ready within " + START_TIMEOUT.toSeconds() + " s on port "
            + port + " (last answer to GET /_cluster/health: " + lastAnswer + "); end of " + log + ":\n"
            + InfraFiles.lastLines(InfraFiles.since(log, logStart), 40));
      }
      if (now >= nextProgress) {
        report.accept("Elasticsearch starting… " + Duration.ofNanos(now - started).toSeconds() + " s");
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for Elasticsearch to start", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // work directory and user

  private static void prepareWorkDir(Path dir, Path home) throws IOException {
    for (String sub : List.of("config", "data", "logs", "tmp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    // refresh the configuration from the distribution, keeping what Elasticsearch added (its keystore)
    Path source = home.resolve("config");
    Path target = dir.resolve("config");
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(target.resolve(source.relativize(directory).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * The command prefix that runs Elasticsearch as an unprivileged user when this JVM is root (empty otherwise), after
   * handing the work directory over to that user and checking that it can use it and read the distribution.
   */
  private static List<String> runAsPrefix(Path dir, Path home) throws IOException {
    if (!isRoot()) {
      return List.of();
    }
    Path setpriv = findOnPath("setpriv");
    if (setpriv == null) {
      throw new IOException("Elasticsearch refuses to run as root and this JVM runs as root: it would run as the user "
          + "nobody through setpriv (util-linux), which is not installed. Install util-linux or run as another user.");
    }
    String id = Integer.toString(UNPRIVILEGED_ID);
    InfraFiles.run(List.of("chown", "-R", id + ":" + id, dir.toString()));
    List<String> prefix = List.of(setpriv.toString(), "--reuid=" + id, "--regid=" + id, "--clear-groups");
    List<String> check = new ArrayList<>(prefix);
    check.addAll(List.of("/bin/sh", "-c",
        // the distribution's config files need not be readable: they are copied into the work directory
        "test -r \"$1/bin/elasticsearch\" && test -x \"$1/bin/elasticsearch\" && test -r \"$1/lib\" && test -x \"$1/lib\""
            + " && test -r \"$1/modules\" && test -x \"$1/modules\""
            + " && test -w \"$2/data\" && test -w \"$2/config\" && test -w \"$2/logs\" && test -w \"$2/tmp\"",
        "check", home.toString(), dir.toString()));
    try {
      InfraFiles.run(check);
    } catch (IOException e) {
      throw new IOException("Elasticsearch refuses to run as root, so it runs as the user nobody (uid "
          + UNPRIVILEGED_ID + "), but nobody cannot read the distribution " + home + " or write the work directory "
          + dir + ". Every parent directory of both must be world-traversable (chmod o+x) and the distribution "
          + "world-readable. (" + e.getMessage() + ")", e);
    }
    return prefix;
  }

  /** Where Elasticsearch's files go when the user nobody cannot reach the configured ones (root only). */
  static final Path ROOT_FALLBACK = Path.of(System.getProperty("vigie.es.fallback-dir", "/var/lib/vigie"));

  /**
   * The distribution itself when the user nobody can read it, else a copy of it under {@link #ROOT_FALLBACK}
   * (a checkout under {@code /root}, mode 700, is the usual case).
   */
  static Path reachableHome(Path home, Consumer<String> report) throws IOException {
    if (nobodyCan("test -r \"$1/bin/elasticsearch\" && test -x \"$1/lib\" && test -x \"$1/modules\"", home)) {
      return home;
    }
    Path copy = ROOT_FALLBACK.resolve("elasticsearch-" + VERSION);
    if (!Files.isRegularFile(copy.resolve("bin/elasticsearch"))) {
      report.accept("The user nobody cannot read " + home + ": copying Elasticsearch to " + copy);
      Files.createDirectories(ROOT_FALLBACK);
      Path partial = ROOT_FALLBACK.resolve("elasticsearch-" + VERSION + ".partial");
      InfraFiles.run(List.of("rm", "-rf", partial.toString()));
      InfraFiles.run(List.of("cp", "-a", home.toString(), partial.toString()));
      InfraFiles.run(List.of("chmod", "-R", "a+rX", partial.toString()));
      InfraFiles.run(List.of("chmod", "755", ROOT_FALLBACK.toString()));
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    }
    return copy;
  }

  /**
   * The work directory itself when the user nobody can reach its parent, else a directory under
   * {@link #ROOT_FALLBACK} named after it, with a symbolic link at the configured place so that the data is found
   * from the data folder.
   */
  static Path reachableWorkDir(Path dir, Consumer<String> report) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      return dir.toRealPath();
    }
    Path parent = dir.getParent();
    while (parent != null && !Files.isDirectory(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || nobodyCan("test -x \"$1\" && test -r \"$1\"", parent)) {
      return dir;
    }
    var name = Integer.toHexString(dir.toString().hashCode()) + "-" + dir.getFileName();
    Path relocated = ROOT_FALLBACK.resolve("data").resolve(name);
    Files.createDirectories(relocated);
    InfraFiles.run(List.of("chmod", "755", ROOT_FALLBACK.toString(), ROOT_FALLBACK.resolve("data").toString()));
    if (!Files.exists(dir)) {
      Files.createDirectories(dir.getParent());
      Files.createSymbolicLink(dir, relocated);
    }
    report.accept("The user nobody cannot reach " + dir + ": Elasticsearch keeps its data in " + relocated);
    return relocated;
  }

  private static boolean nobodyCan(String test, Path path) throws IOException {
    Path setpriv = findOnPath("setpriv");
    if (setpriv == null) {
      return true; // runAsPrefix explains that setpriv is needed
    }
    String id = Integer.toString(UNPRIVILEGED_ID);
    try {
      InfraFiles.run(List.of(setpriv.toString(), "--reuid=" + id, "--regid=" + id, "--clear-groups", "/bin/sh", "-c",
          test, "check", path.toString()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean isRoot() {
    try {
      // /proc/self belongs to the effective user of this process
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static Path findOnPath(String program) {
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    directories.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String directory : directories) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // locating the distribution

  /** The Elasticsearch home to run: configured, else unpacked from the local Maven repository. */
  static Path locateHome(Path workDir) throws IOException {
    return locateHome(workDir, System.getProperty("vigie.es.home"), System.getenv("VIGIE_ES_HOME"), localRepository());
  }

  static Path locateHome(Path workDir, String propertyHome, String environmentHome, Path localRepository)
      throws IOException {
    List<String> tried = new ArrayList<>();
    Path configured = configuredHome("system property vigie.es.home", propertyHome, tried);
    if (configured == null) {
      configured = configuredHome("environment variable VIGIE_ES_HOME", environmentHome, tried);
    }
    if (configured != null) {
      return configured;
    }
    Path zip = localRepository.resolve("org/elasticsearch/distribution/integ-test-zip/elasticsearch/" + VERSION
        + "/elasticsearch-" + VERSION + ".zip");
    if (Files.isRegularFile(zip)) {
      Path parent = workDir.getParent() == null ? workDir : workDir.getParent();
      return unpack(zip, parent.resolve("elasticsearch-dist"));
    }
    tried.add("the local Maven repository: " + zip + " (missing)");
    throw new IOException("No Elasticsearch " + VERSION + " distribution found. Tried " + String.join("; ", tried)
        + ". Build the testing module once (./mvnw -pl testing -am install -DskipTests): it downloads the "
        + "distribution and unpacks it into testing/target; or set -Dvigie.es.home (or VIGIE_ES_HOME) to an "
        + "unpacked elasticsearch-" + VERSION + ".");
  }

  private static Path configuredHome(String source, String value, List<String> tried) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path home = Path.of(value.strip()).toAbsolutePath().normalize();
    if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
      if (!Files.exists(home.resolve("lib/elasticsearch-" + VERSION + ".jar"))) {
        LOG.warn("The Elasticsearch distribution {} ({}) does not look like version {}", home, source, VERSION);
      }
      return home;
    }
    LOG.warn("Ignoring the {} ({}): no bin/elasticsearch there", source, home);
    tried.add(source + " = " + home + " (no bin/elasticsearch there)");
    return null;
  }

  static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.strip());
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Unpacks the distribution zip into {@code <root>/elasticsearch-<version>} unless already there. Atomic: unpacked into
   * a temporary directory next to it, then renamed, so a concurrent JVM or an interrupted unpack never leaves a
   * half-unpacked distribution behind.
   */
  static Path unpack(Path zip, Path root) throws IOException {
    Path target = root.resolve("elasticsearch-" + VERSION);
    if (Files.isRegularFile(target.resolve("bin/elasticsearch"))) {
      return target;
    }
    Files.createDirectories(root);
    LOG.info("Unpacking {} into {}", zip, root);
    Path temp = Files.createTempDirectory(root, ".unpacking-");
    try {
      try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
        ZipEntry entry;
        while ((entry = entries.getNextEntry()) != null) {
          Path destination = temp.resolve(entry.getName()).normalize();
          if (!destination.startsWith(temp)) {
            throw new IOException("Suspicious entry in " + zip + ": " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(destination);
          } else {
            Files.createDirectories(destination.getParent());
            Files.copy(entries, destination, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Path unpacked = temp.resolve("elasticsearch-" + VERSION);
      if (!Files.isRegularFile(unpacked.resolve("bin/elasticsearch"))) {
        throw new IOException(zip + " does not contain elasticsearch-" + VERSION + "/bin/elasticsearch");
      }
      makeReadableByAll(unpacked);
      try {
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        if (!Files.isRegularFile(target.resolve("bin/elasticsearch"))) {
          throw e;
        }
        // another JVM unpacked it at the same time
      }
    } finally {
      InfraFiles.deleteTree(temp);
    }
    return target;
  }

  /** Directories 755, files 644, {@code bin/*} 755 (zip entries carry no permissions for {@link ZipInputStream}). */
  private static void makeReadableByAll(Path home) throws IOException {
    Path bin = home.resolve("bin");
    Files.walkFileTree(home, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        boolean executable = bin.equals(file.getParent())
            && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bat");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static String loadVersion() {
    try (InputStream in = EmbeddedElasticsearch.class.getResourceAsStream("elasticsearch.properties")) {
      if (in == null) {
        throw new IllegalStateException("elasticsearch.properties is missing next to " + EmbeddedElasticsearch.class);
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (!version.matches("\\d+\\.\\d+\\.\\d+.*")) {
        throw new IllegalStateException("elasticsearch.properties has no resolved version: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

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

  @Override
  public String toString() {
    return "Elasticsearch " + url() + " (" + workDir + ")";
  }

  /** A port was taken between picking it and Elasticsearch binding it. */
  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The HTTP port (else the transport port, or unknown). */
    final boolean httpPort;

    PortTakenException(String message, boolean httpPort) {
      super(message);
      this.httpPort = httpPort;
    }
  }
}
