package io.vigie.simulator.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} ({@code utime + stime}, in clock ticks of {@code getconf
 * CLK_TCK}), and how to find them: the platform JVM by the port it listens on, Redis and Elasticsearch among its
 * descendants (the embedded servers run under a shell watchdog the JVM starts). Linux only.
 */
public final class ProcCpu {
  private static final long TICKS_PER_SECOND = clockTicks();

  private ProcCpu() {}

  /** The processes of one component (Elasticsearch is a CLI JVM, the server JVM and maybe a native controller). */
  public record Group(String name, List<Long> pids) {
    /** Their CPU time so far, in microseconds (a process gone meanwhile counts as 0). */
    public long micros() {
      return pids.stream().mapToLong(ProcCpu::micros).sum();
    }
  }

  /** utime + stime of one process, in microseconds; 0 when it is gone. */
  public static long micros(long pid) {
    try {
      var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid …: comm may hold spaces; utime and stime are fields 14 and 15
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      var ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1_000_000L / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The descendants of {@code pid} whose command line contains {@code marker} (a Redis or Elasticsearch server), but
   * not the watchdog shells around them, whose command lines name the command too.
   */
  public static Group descendants(String name, long pid, String marker) {
    var pids = new ArrayList<Long>();
    ProcessHandle.of(pid).ifPresent(parent -> parent.descendants()
        .filter(child -> !List.of("sh", "sleep").contains(read(child.pid(), "comm").trim()))
        .filter(child -> read(child.pid(), "cmdline").replace('\0', ' ').contains(marker))
        .forEach(child -> pids.add(child.pid())));
    return new Group(name, List.copyOf(pids));
  }

  /** The process and its descendants. */
  public static Group tree(String name, long pid) {
    var pids = new ArrayList<Long>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(parent -> parent.descendants().forEach(child -> pids.add(child.pid())));
    return new Group(name, List.copyOf(pids));
  }

  private static String read(long pid, String file) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)));
    } catch (IOException e) {
      return "";
    }
  }

  /** The process listening on TCP {@code port} (IPv4 or IPv6), when it is this user's: its sockets are readable. */
  public static Optional<Long> listening(int port) {
    var inodes = new ArrayList<String>();
    for (var table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (var line : Files.readAllLines(Path.of(table))) {
          var f = line.trim().split("\\s+");
          // local_address is HEXIP:HEXPORT, st 0A is LISTEN, inode is field 10
          if (f.length > 9 && f[1].endsWith(String.format(Locale.ROOT, ":%04X", port)) && f[3].equals("0A")) inodes.add(f[9]);
        }
      } catch (IOException ignored) {
        // no IPv6 table
      }
    }
    if (inodes.isEmpty()) return Optional.empty();
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
      try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        return fds.anyMatch(fd -> {
          try {
            var target = Files.readSymbolicLink(fd).toString();
            return inodes.stream().anyMatch(inode -> target.equals("socket:[" + inode + "]"));
          } catch (IOException e) {
            return false;
          }
        });
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }).findFirst();
  }

  private static long clockTicks() {
    try {
      var process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      var out = new String(process.getInputStream().readAllBytes()).trim();
      process.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
