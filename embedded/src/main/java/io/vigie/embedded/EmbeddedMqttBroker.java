package io.vigie.embedded;

import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT 3.1.1 broker (Moquette) running inside this JVM, listening on 127.0.0.1 only, anonymous clients allowed.
 *
 * <p>Persistent sessions, their queued QoS 1/2 messages, subscriptions and retained messages are stored (H2) under
 * {@code <workDir>/data} and survive a restart on the same work directory. The broker logs through SLF4J (loggers
 * {@code io.moquette.*}). Moquette's telemetry (a report sent to its authors at every start) is turned off.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

  /** Largest accepted MQTT packet; Moquette's default (8 KiB) is too small for gateway uplinks with metadata. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private final Server server;
  private final Path workDir;
  private final int port;
  private boolean closed;

  private EmbeddedMqttBroker(Server server, Path workDir, int port) {
    this.server = server;
    this.workDir = workDir;
    this.port = port;
  }

  /**
   * Starts the broker and returns once it accepts connections.
   *
   * @param workDir created if needed; the persistent store goes to {@code <workDir>/data}
   * @param port    the TCP port on 127.0.0.1, or 0 for a free one
   * @throws IOException if the broker cannot start, e.g. the port is taken
   */
  public static EmbeddedMqttBroker start(Path workDir, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Path dir = workDir.toAbsolutePath().normalize();
    Path data = dir.resolve("data");
    Files.createDirectories(data);

    // Moquette can bind port 0, but reports the bound port through a racy, non thread-safe map: pick the port here
    int actualPort = port == 0 ? FreePorts.find() : port;
    if (port != 0) {
      ensureFree(port);
    }

    Properties properties = new Properties();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(actualPort));
    properties.setProperty("websocket_port", "disabled");
    properties.setProperty("allow_anonymous", "true");
    properties.setProperty("allow_zero_byte_client_id", "true");
    properties.setProperty("telemetry_enabled", "false");
    properties.setProperty("persistence_enabled", "true");
    properties.setProperty("data_path", data.toString());
    properties.setProperty("persistent_queue_type", "h2");
    properties.setProperty("buffer_flush_millis", "immediate");
    properties.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_BYTES));
    properties.setProperty("netty.epoll", "false");

    LOG.info("Starting the MQTT broker (Moquette) on 127.0.0.1:{} in {}", actualPort, dir);
    Server server = new Server();
    try {
      server.startServer(new MemoryConfig(properties));
    } catch (IOException | RuntimeException e) {
      stopQuietly(server);
      throw new IOException("The MQTT broker could not start on 127.0.0.1:" + actualPort + " (work dir " + dir + "): "
          + e, e);
    }
    EmbeddedMqttBroker broker = new EmbeddedMqttBroker(server, dir, actualPort);
    StopOnExit.register(broker);
    LOG.info("MQTT broker is ready at {}", broker.url());
    return broker;
  }

  /** Fails clearly, before Moquette half-starts (it does not clean up after a failed bind), if the port is taken. */
  private static void ensureFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IOException("The MQTT broker could not start on 127.0.0.1:" + port + ": the port is in use", e);
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stopServer();
    } catch (RuntimeException e) {
      LOG.debug("Could not stop a broker that failed to start", e);
    }
  }

  /** {@code tcp://127.0.0.1:<port>} */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The ids of the clients connected now, as the broker sees them (a client's DISCONNECT is processed asynchronously). */
  public Set<String> connectedClientIds() {
    return server.listConnectedClients().stream().map(ClientDescriptor::getClientID).collect(Collectors.toSet());
  }

  /** Disconnects every client, unbinds the port and closes the persistent store. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      server.stopServer();
    }
    StopOnExit.forget(this);
    LOG.info("MQTT broker on port {} stopped", port);
  }

  @Override
  public String toString() {
    return "MQTT broker " + url() + " (" + workDir + ")";
  }
}
