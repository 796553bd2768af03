package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The child process watchdog")
class WatchedProcessTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("stop() ends the whole process tree, grandchildren included")
  void stopEndsTheTree() throws Exception {
    WatchedProcess process = WatchedProcess.start("tree", List.of("sh", "-c", "sleep 300 & sleep 301 & wait"),
        Map.of(), dir, dir.resolve("tree.log"));
    // the watchdog, its helper subshell and the sh -c all mention "sleep 30" too: match the sleep processes exactly
    awaitTrue(Duration.ofSeconds(10), () -> process.descendants().stream()
        .filter(handle -> handle.info().command().orElse("").endsWith("sleep")
            && handle.info().arguments().map(args -> args.length == 1 && args[0].startsWith("30")).orElse(false))
        .count() == 2);
    List<ProcessHandle> tree = process.descendants();

    process.stop(Duration.ofSeconds(5));

    assertThat(tree).noneMatch(WatchedProcess::running);
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  @DisplayName("passes the command's output to its log and its exit status through")
  void exitStatusAndLog() throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("VIGIE_GREETING", "hello");
    environment.put("HOME", null); // removed
    WatchedProcess process = WatchedProcess.start("exit", List.of("sh", "-c", "echo \"$VIGIE_GREETING from the child, HOME=${HOME:-unset}\"; exit 7"),
        environment, dir, dir.resolve("exit.log"));

    assertThat(process.waitFor(Duration.ofSeconds(10))).isTrue();
    assertThat(process.exitValue()).isEqualTo(7);
    assertThat(dir.resolve("exit.log")).content(StandardCharsets.UTF_8).contains("hello from the child, HOME=unset");
  }

  @Test
  @DisplayName("a server whose JVM is killed with kill -9 does not survive it")
  void noOrphanAfterKill9() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        OrphanProbe.class.getName(), dir.resolve("redis").toString())
        .redirectErrorStream(true)
        .start();
    try {
      int port = readyPort(jvm);
      List<ProcessHandle> servers = jvm.descendants().toList();
      assertThat(servers).isNotEmpty();
      try (RespClient client = new RespClient(port)) {
        assertThat(client.command("PING")).isEqualTo("PONG");
      }

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

      awaitTrue(Duration.ofSeconds(15), () -> servers.stream().noneMatch(WatchedProcess::running));
      assertThatThrownBy(() -> new RespClient(port)).isInstanceOf(ConnectException.class);
      assertThat(dir.resolve("redis/redis.log")).content().contains("[vigie watchdog] JVM " + jvm.pid() + " is gone");
    } finally {
      jvm.destroyForcibly();
    }
  }

  private static int readyPort(Process jvm) throws Exception {
    BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
          if (line.startsWith("READY ")) {
            return Integer.parseInt(line.substring(6).strip());
          }
          seen.append(line).append('\n');
        }
        throw new IllegalStateException("The probe JVM ended without starting Redis:\n" + seen);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    return port.get(60, TimeUnit.SECONDS);
  }

  private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
