package io.vigie.simulator.capacity;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The embedded platform in a JVM of its own, as {@code ./vigie} runs it: a fresh data folder, a free HTTP port, the UDP
 * port left to the system, an admin password and an integration secret of this run. Its output goes to
 * {@code platform.log} in the work folder; the Elasticsearch URL is read from it.
 */
final class PlatformProcess implements AutoCloseable {
  private static final Pattern ES_URL = Pattern.compile("Elasticsearch\\s+(http://\\S+) \\(embedded\\)");

  final Process process;
  final String url;
  final String adminPassword;
  final String ingestToken;
  final Path log;

  private PlatformProcess(Process process, String url, String adminPassword, String ingestToken, Path log) {
    this.process = process;
    this.url = url;
    this.adminPassword = adminPassword;
    this.ingestToken = ingestToken;
    this.log = log;
  }

  /**
   * @param javaOptions the platform JVM's options ({@code VIGIE_JAVA_OPTS}, else {@code ./vigie}'s)
   */
  static PlatformProcess start(String classpath, String esHome, String javaOptions, Path workDir) throws IOException {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var command = new ArrayList<String>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(Arrays.asList(javaOptions.trim().split("\\s+")));
    command.addAll(List.of("-Dvigie.es.home=" + esHome, "-cp", classpath, "io.vigie.platform.Main"));
    var log = workDir.resolve("platform.log");
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    var adminPassword = secret();
    var ingestToken = secret();
    var env = builder.environment();
    env.put("VIGIE_DATA_DIR", workDir.resolve("data").toString());
    env.put("VIGIE_HTTP_PORT", Integer.toString(port));
    env.put("VIGIE_UDP_PORT", "0");
    env.put("VIGIE_ADMIN_PASSWORD", adminPassword);
    env.put("VIGIE_INGEST_TOKEN", ingestToken);
    return new PlatformProcess(builder.start(), "http://127.0.0.1:" + port, adminPassword, ingestToken, log);
  }

  private static String secret() {
    var bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Waits for {@code /health/ready}; fails with the end of the log if the platform exits or takes too long. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IOException("the platform exited (" + process.exitValue() + "):\n" + tail());
      try {
        var answer = http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IOException("the platform was not ready within " + timeout.toSeconds() + " s:\n" + tail());
  }

  /** The embedded Elasticsearch's URL, as the platform printed it. */
  String elasticsearchUrl() throws IOException {
    var matcher = ES_URL.matcher(Files.readString(log));
    if (!matcher.find()) throw new IOException("the platform did not print its Elasticsearch URL:\n" + tail());
    return matcher.group(1);
  }

  String tail() throws IOException {
    var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** SIGTERM (the platform stops its services and embedded servers), then SIGKILL after a minute. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
