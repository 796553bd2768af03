package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigie.embedded.EmbeddedMqttBroker;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT broker of {@code embedded} (Moquette, which otherwise runs inside the platform's JVM) as a process of its
 * own, so that a test can restart it under a running platform: {@link #main} runs it on a port and a store folder
 * until SIGTERM (the shutdown hook closes the broker and its store). Output: {@code <logs>/broker-<n>.log}.
 */
final class BrokerProcess implements AutoCloseable {
  private final Path workDir;
  private final Path logs;
  private final int port;
  private Process running;
  private int starts;

  BrokerProcess(Path workDir, int port, Path logs) throws Exception {
    this.workDir = workDir;
    this.port = port;
    this.logs = Files.createDirectories(logs);
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Starts the broker process and waits until it accepts connections. */
  BrokerProcess start() throws Exception {
    var n = ++starts;
    var java = ProcessHandle.current().info().command().orElse("java");
    var process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        BrokerProcess.class.getName(), workDir.toString(), Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(logs.resolve("broker-" + n + ".log").toFile()).start();
    running = process;
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(process.isAlive()).as("broker " + n + " is running (see " + logs + ")").isTrue();
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    });
    return this;
  }

  /** SIGTERM (the broker closes its connections and its store), waiting for the process to exit. */
  void stop() throws InterruptedException {
    running.destroy();
    if (!running.waitFor(30, TimeUnit.SECONDS)) running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (running != null) stop();
  }

  /** {@code <work folder> <port>}: runs the broker until the process is stopped. */
  public static void main(String[] args) throws Exception {
    var broker = EmbeddedMqttBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
    System.out.println("MQTT broker ready at " + broker.url());
    new CountDownLatch(1).await();   // the shutdown hook of embedded closes the broker on SIGTERM
  }
}
