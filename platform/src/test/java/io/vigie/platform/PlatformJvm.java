package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The all-in-one platform as a child JVM ({@code io.vigie.platform.Main}, as {@code ./vigie} runs it) on the test's
 * class path, configured by environment variables (its HTTP port among them), so that a test can kill it with SIGKILL
 * and start it again on the same port and infrastructure. Its output: {@code <logs>/platform-<n>.log}.
 */
final class PlatformJvm implements AutoCloseable {
  private final Map<String, String> environment;
  private final Path logs;
  private final int port;
  private Process running;
  private int starts;

  /** @param environment {@code VIGIE_*} variables; {@code VIGIE_HTTP_PORT} gives the port */
  PlatformJvm(Map<String, String> environment, Path logs) throws Exception {
    this.environment = Map.copyOf(environment);
    this.logs = Files.createDirectories(logs);
    this.port = Integer.parseInt(environment.get("VIGIE_HTTP_PORT"));
  }

  int port() {
    return port;
  }

  String env(String name) {
    return environment.get(name);
  }

  /** Starts a new platform process and waits until it is ready. */
  PlatformJvm start() throws Exception {
    var n = ++starts;
    var java = ProcessHandle.current().info().command().orElse("java");
    var builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
        .redirectErrorStream(true).redirectOutput(logs.resolve("platform-" + n + ".log").toFile());
    builder.environment().putAll(environment);
    var process = builder.start();
    running = process;
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
      assertThat(process.isAlive()).as("platform " + n + " is running (see " + logs + ")").isTrue();
      return ClusteredServicesTest.status(port, "/health/ready") == 200;
    });
    return this;
  }

  /** SIGKILL: no shutdown hook, no lease released, batches in flight cut; returns once the process is gone. */
  void kill() throws InterruptedException {
    running.destroyForcibly();
    assertThat(running.waitFor(30, TimeUnit.SECONDS)).as("the killed platform exits").isTrue();
  }

  /** SIGTERM, then SIGKILL if it is still there 30 s later. */
  @Override
  public void close() throws InterruptedException {
    if (running == null) return;
    running.destroy();
    if (!running.waitFor(30, TimeUnit.SECONDS)) running.destroyForcibly();
  }
}
