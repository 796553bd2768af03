package io.vigie.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that cannot outlive this JVM.
 *
 * <p>The command runs under a tiny POSIX shell watchdog: the shell starts it in the background (in a session and process
 * group of its own when {@code setsid} is available) and, once a second, checks that this JVM is still alive. When the
 * JVM is gone, even after a {@code kill -9}, the watchdog sends SIGTERM to the child's process group, waits up to
 * {@value #ORPHAN_GRACE_SECONDS} s and then sends SIGKILL. A SIGTERM to the watchdog is forwarded the same way, and the
 * watchdog exits with the child's exit status.
 *
 * <p>{@link #stop(Duration)} stops the whole process tree from this JVM: SIGTERM to every process in it, then SIGKILL to
 * whatever is still alive after the grace period.
 */
final class WatchedProcess {

  private static final Logger LOG = LoggerFactory.getLogger(WatchedProcess.class);

  static final int ORPHAN_GRACE_SECONDS = 20;

  /**
   * {@code $1} = the PID to watch (this JVM), {@code $2...} = the command. Kept POSIX (dash, busybox, bash, zsh).
   * {@code kill -s SIG -- -PGID} is the spelling every shell accepts for a process group.
   */
  static final String WATCHDOG_SCRIPT = String.join("\n",
      "parent=\"$1\"; shift",
      "if command -v setsid >/dev/null 2>&1; then setsid \"$@\" </dev/null & else \"$@\" </dev/null & fi",
      "child=$!",
      "signal() { kill -s \"$1\" -- -\"$child\" 2>/dev/null || kill -s \"$1\" \"$child\" 2>/dev/null; }",
      "(",
      "  while kill -0 \"$parent\" 2>/dev/null; do sleep 1; done",
      "  echo \"[vigie watchdog] JVM $parent is gone: stopping process $child\" >&2",
      "  signal TERM",
      "  i=0",
      "  while kill -0 \"$child\" 2>/dev/null && [ \"$i\" -lt " + ORPHAN_GRACE_SECONDS + " ]; do sleep 1; i=$((i+1)); done",
      "  signal KILL",
      ") </dev/null &",
      "watcher=$!",
      "trap 'signal TERM' TERM INT HUP",
      "wait \"$child\"; status=$?",
      // a trapped signal interrupts wait: wait again until the child is really gone
      "while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; status=$?; done",
      "kill \"$watcher\" 2>/dev/null",
      "exit \"$status\"");

  private final String name;
  private final Process process;

  private WatchedProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code command} under the watchdog.
   *
   * @param name        for messages ("Redis", "Elasticsearch")
   * @param command     the program and its arguments
   * @param environment changes to this JVM's environment: a {@code null} value removes the variable
   * @param directory   the working directory
   * @param log         stdout and stderr of the command are appended there
   */
  static WatchedProcess start(String name, List<String> command, Map<String, String> environment, Path directory,
      Path log) throws IOException {
    List<String> full = new ArrayList<>(command.size() + 4);
    full.add("/bin/sh");
    full.add("-c");
    full.add(WATCHDOG_SCRIPT);
    full.add("vigie-watchdog"); // $0
    full.add(Long.toString(ProcessHandle.current().pid()));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full)
        .directory(directory.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true);
    environment.forEach((key, value) -> {
      if (value == null) {
        builder.environment().remove(key);
      } else {
        builder.environment().put(key, value);
      }
    });
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process = builder.start();
    // nothing is ever written to the watchdog's stdin; the command itself reads /dev/null
    process.getOutputStream().close();
    LOG.debug("{} started under watchdog pid {}: {}", name, process.pid(), command);
    return new WatchedProcess(name, process);
  }

  /** The processes the watchdog started, directly or not, at this moment. */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  /** Whether {@code pid} is the command or one of its descendants. */
  boolean owns(long pid) {
    return process.descendants().anyMatch(handle -> handle.pid() == pid);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status of the command, once it has exited. */
  int exitValue() {
    return process.exitValue();
  }

  /**
   * Stops the command and everything it started: SIGTERM to the whole tree, then SIGKILL to what is still alive after
   * {@code grace}. Returns when every process of the tree has exited (or could not be killed at all).
   */
  void stop(Duration grace) {
    // snapshot first: once the watchdog is gone, its descendants are re-parented and no longer found from it
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    if (tree.stream().noneMatch(WatchedProcess::running)) {
      return;
    }
    LOG.debug("Stopping {} (pids {})", name, tree.stream().map(ProcessHandle::pid).toList());
    // the watchdog forwards SIGTERM to the child's process group; signalling every process of the snapshot as well
    // covers a child that was not started in a group of its own
    for (ProcessHandle handle : tree) {
      handle.destroy();
    }
    if (!awaitExit(tree, grace)) {
      LOG.warn("{} did not stop within {} s: killing it", name, grace.toSeconds());
      for (ProcessHandle handle : tree) {
        handle.destroyForcibly();
      }
      if (!awaitExit(tree, Duration.ofSeconds(10))) {
        LOG.error("{} could not be killed: pids {} are still alive", name,
            tree.stream().filter(WatchedProcess::running).map(ProcessHandle::pid).toList());
      }
    }
  }

  /**
   * Waits until every process of {@code tree} has exited. The watchdog is our child and is waited for directly; the
   * others are not (ProcessHandle.onExit polls them with a growing delay), so they are polled here at a short interval.
   */
  private boolean awaitExit(List<ProcessHandle> tree, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      while (tree.stream().anyMatch(WatchedProcess::running)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(20);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return tree.stream().noneMatch(WatchedProcess::running);
    }
  }

  /**
   * Alive and not a zombie. An orphan that has exited stays a zombie until the init process reaps it, which some
   * container init processes do only now and then; {@link ProcessHandle#isAlive()} counts zombies as alive.
   */
  static boolean running(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
    try {
      String content = Files.readString(stat);
      // pid (comm) state ...: comm may contain spaces and parentheses, the state follows the last ')'
      int end = content.lastIndexOf(')');
      if (end < 0 || end + 2 >= content.length()) {
        return true;
      }
      char state = content.charAt(end + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      // no /proc (macOS) or the process just went away
      return handle.isAlive();
    }
  }

  /**
   * Sends {@code signal} ({@code KILL}, {@code STOP}, {@code CONT}…) to the command's processes, not to the watchdog:
   * a crash ({@code KILL}: the watchdog then exits with the command) or a frozen server ({@code STOP}, until
   * {@code CONT}), for fault tests. The command's processes are the descendants in the session {@code setsid} gave it.
   */
  void signal(String signal) throws IOException {
    long watchdogSession = session(process.toHandle());
    List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
    process.descendants().filter(handle -> session(handle) != watchdogSession)
        .forEach(handle -> command.add(Long.toString(handle.pid())));
    if (command.size() == 3) {
      throw new IOException(name + " has no process to signal");
    }
    try {
      int status = new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
      if (status != 0) {
        throw new IOException("kill -s " + signal + " of " + name + " exited with " + status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + name, e);
    }
    LOG.info("{}: sent SIG{} to pids {}", name, signal, command.subList(3, command.size()));
  }

  /** The session id of a process (-1 when unknown: no {@code /proc}, or the process went away). */
  private static long session(ProcessHandle handle) {
    try {
      String content = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
      // pid (comm) state ppid pgrp session ...: comm may contain spaces and parentheses
      String[] fields = content.substring(content.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Waits until the command exits; {@code true} if it did within the timeout. */
  boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String toString() {
    return name + " (watchdog pid " + process.pid() + ")";
  }
}
