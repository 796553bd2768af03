package io.vigie.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of three masters (no replicas) on 127.0.0.1: three {@link EmbeddedRedis} servers of the same
 * binary with {@code cluster-enabled yes}, introduced to each other ({@code CLUSTER MEET}), the 16384 slots split in
 * three ranges ({@code CLUSTER ADDSLOTS}); {@link #start} returns once every node says {@code cluster_state:ok}.
 *
 * <p>Each node lives in {@code <workDir>/node-<i>} (its {@code redis.conf}, {@code nodes.conf} and log). Nothing is
 * persisted. A node's cluster bus listens on its port + 10000, so the ports are chosen below 55536.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisCluster.class);
  private static final int SLOTS = 16384;
  private static final int MASTERS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final List<EmbeddedRedis> nodes;

  private EmbeddedRedisCluster(List<EmbeddedRedis> nodes) {
    this.nodes = nodes;
  }

  /** Starts the three masters, joins them and assigns the slots; returns once the cluster is {@code ok}. */
  public static EmbeddedRedisCluster start(Path workDir) throws IOException {
    var nodes = new ArrayList<EmbeddedRedis>();
    var cluster = new EmbeddedRedisCluster(nodes);
    try {
      for (int i = 0; i < MASTERS; i++) {
        nodes.add(EmbeddedRedis.start(workDir.resolve("node-" + i), clusterPort(), false, """
            cluster-enabled yes
            cluster-config-file nodes.conf
            cluster-node-timeout 5000
            cluster-require-full-coverage yes
            """));
      }
      for (int i = 1; i < MASTERS; i++) expectOk(command(nodes.get(0).port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port())));
      for (int i = 0; i < MASTERS; i++) {
        var slots = new ArrayList<String>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = i * SLOTS / MASTERS; slot < (i + 1) * SLOTS / MASTERS; slot++) slots.add(Integer.toString(slot));
        expectOk(command(nodes.get(i).port(), slots.toArray(String[]::new)));
      }
      cluster.awaitOk();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info("Redis Cluster is ready at {}", cluster.url());
    return cluster;
  }

  /** The nodes' URLs, comma separated: what {@code VIGIE_REDIS_URL} takes for a cluster. */
  public String url() {
    return nodes.stream().map(EmbeddedRedis::url).collect(Collectors.joining(","));
  }

  public List<EmbeddedRedis> nodes() {
    return List.copyOf(nodes);
  }

  /** One command sent to one node; its answer as text (a simple string, a number, a bulk string, or "-ERR ..."). */
  public static String command(int port, String... args) throws IOException {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      var request = new StringBuilder("*").append(args.length).append("\r\n");
      for (var arg : args) request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      var header = line(in);
      if (!header.startsWith("$")) return header.startsWith("-") ? header : header.substring(1);
      int length = Integer.parseInt(header.substring(1));
      return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  private static String line(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\r') line.write(c);
    if (c == '\r') in.read();
    return line.toString(StandardCharsets.UTF_8);
  }

  private static void expectOk(String answer) throws IOException {
    if (!"OK".equals(answer)) throw new IOException("Redis Cluster set-up refused: " + answer);
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int clusterPort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = FreePorts.find();
      if (port + 10000 > 65535) continue;
      try (var bus = new ServerSocket()) {
        bus.setReuseAddress(false);
        bus.bind(new InetSocketAddress("127.0.0.1", port + 10000), 1);
        return port;
      } catch (IOException taken) {
        // try another one
      }
    }
    throw new IOException("no free port below 55536 with a free cluster bus port");
  }

  private void awaitOk() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      var waiting = new ArrayList<String>();
      for (var node : nodes) {
        var info = command(node.port(), "CLUSTER", "INFO");
        if (info == null || !info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + MASTERS)) {
          waiting.add(node.port() + ": " + (info == null ? "no answer" : info.lines().limit(3).toList()));
        }
      }
      if (waiting.isEmpty()) return;
      if (System.nanoTime() > deadline) {
        throw new IOException("Redis Cluster not ok within " + READY_TIMEOUT.toSeconds() + " s: " + waiting);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for the Redis Cluster", e);
      }
    }
  }

  /** Stops every node. Idempotent. */
  @Override
  public void close() {
    nodes.forEach(EmbeddedRedis::close);
  }

  @Override
  public String toString() {
    return "Redis Cluster " + url();
  }
}
