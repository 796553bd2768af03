package io.vigie.platform;

import io.vigie.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Service instances as separate JVMs on loopback, one Hazelcast cluster of their own: each instance (say
 * {@code decoder-2}) runs its service's {@code Main} on the test's class path with its own HTTP and cluster ports, every
 * instance listed as a member of every other, and writes its output to {@code <logs>/<instance>.log}.
 */
final class ServiceJvms implements AutoCloseable {
  static final Map<String, String> MAINS = Map.of(
      "registry", "io.vigie.registry.Main",
      "decoder", "io.vigie.decoder.Main",
      "enrichment", "io.vigie.enrichment.Main",
      "alert", "io.vigie.alert.Main",
      "realtime", "io.vigie.realtime.Main",
      "gateway", "io.vigie.gateway.Main");

  private final Path logs;
  private final Map<String, Integer> clusterPorts = new LinkedHashMap<>();
  private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> restarts = new LinkedHashMap<>();

  /** @param instances instance names, {@code <service>} or {@code <service>-<n>} */
  ServiceJvms(Path logs, List<String> instances) throws IOException {
    this.logs = Files.createDirectories(logs);
    for (var instance : instances) {
      clusterPorts.put(instance, FreePorts.find());
      httpPorts.put(instance, FreePorts.find());
    }
  }

  /** Starts these instances with the shared environment and their own ports. */
  void start(List<String> instances, Map<String, String> environment) throws IOException {
    for (var instance : instances) launch(instance, environment, log(instance));
  }

  /**
   * SIGKILL to an instance, then waits for its end: no shutdown hook, no draining, no leaving the cluster.
   *
   * @return when it was killed (epoch ms)
   */
  long kill(String instance) throws InterruptedException {
    var killedAt = System.currentTimeMillis();
    processes.get(instance).destroyForcibly();
    processes.get(instance).waitFor();
    return killedAt;
  }

  /**
   * Starts an instance that was stopped again, on its ports, its output in {@code <instance>.<n>.log}, {@code n} the
   * restarts so far.
   *
   * @return when it was started (epoch ms)
   */
  long restart(String instance, Map<String, String> environment) throws IOException {
    var startedAt = System.currentTimeMillis();
    launch(instance, environment, logs.resolve(instance + "." + restarts.merge(instance, 1, Integer::sum) + ".log"));
    return startedAt;
  }

  private void launch(String instance, Map<String, String> environment, Path log) throws IOException {
    var members = clusterPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    var java = ProcessHandle.current().info().command().orElse("java");
    var main = MAINS.get(instance.replaceAll("-\\d+$", ""));
    // one JIT tier and a serial collector: ten JVMs share two cores
    var builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    var env = builder.environment();
    env.putAll(environment);
    env.put("VIGIE_CLUSTER", "true");
    env.put("VIGIE_CLUSTER_HOST", "127.0.0.1");
    env.put("VIGIE_CLUSTER_PORT", String.valueOf(clusterPorts.get(instance)));
    env.put("VIGIE_CLUSTER_MEMBERS", members);
    env.put("VIGIE_HTTP_PORT", String.valueOf(httpPorts.get(instance)));
    processes.put(instance, builder.start());
  }

  int httpPort(String instance) {
    return httpPorts.get(instance);
  }

  int clusterPort(String instance) {
    return clusterPorts.get(instance);
  }

  String url(String instance) {
    return "http://127.0.0.1:" + httpPort(instance);
  }

  List<String> instances() {
    return new ArrayList<>(httpPorts.keySet());
  }

  Process process(String instance) {
    return processes.get(instance);
  }

  Path log(String instance) {
    return logs.resolve(instance + ".log");
  }

  /** SIGTERM to those still running, SIGKILL to those still there 30 s later. */
  @Override
  public void close() throws InterruptedException {
    processes.values().forEach(Process::destroy);
    for (var process : processes.values()) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
