package io.vigie.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Elasticsearch refuses to run as root: when this JVM is root, Elasticsearch runs as the user {@code nobody}
 * (uid/gid {@value #UNPRIVILEGED_ID}) through {@code setpriv}. This class decides whether that is needed, builds the
 * command prefix, and moves the distribution or the work directory under {@link #ROOT_FALLBACK} when {@code nobody}
 * cannot reach them where they are (a checkout under {@code /root}, mode 700, is the usual case).
 */
final class RunAsNobody {

  /** The unprivileged user Elasticsearch runs as when this JVM is root: {@code nobody}. */
  static final int UNPRIVILEGED_ID = 65534;

  /** Where Elasticsearch's files go when the user nobody cannot reach the configured ones (root only). */
  static final Path ROOT_FALLBACK = Path.of(System.getProperty("vigie.es.fallback-dir", "/var/lib/vigie"));

  private RunAsNobody() {
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

  /**
   * The command prefix that runs Elasticsearch as an unprivileged user when this JVM is root (empty otherwise), after
   * handing the work directory over to that user and checking that it can use it and read the distribution.
   */
  static List<String> prefix(Path dir, Path home) throws IOException {
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

  /**
   * The distribution itself when the user nobody can read it, else a copy of it under {@link #ROOT_FALLBACK}
   * (a checkout under {@code /root}, mode 700, is the usual case).
   */
  static Path reachableHome(Path home, Consumer<String> report) throws IOException {
    if (nobodyCan("test -r \"$1/bin/elasticsearch\" && test -x \"$1/lib\" && test -x \"$1/modules\"", home)) {
      return home;
    }
    String name = "elasticsearch-" + ElasticsearchDistribution.VERSION;
    Path copy = ROOT_FALLBACK.resolve(name);
    if (!Files.isRegularFile(copy.resolve("bin/elasticsearch"))) {
      report.accept("The user nobody cannot read " + home + ": copying Elasticsearch to " + copy);
      Files.createDirectories(ROOT_FALLBACK);
      Path partial = ROOT_FALLBACK.resolve(name + ".partial");
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
      return true; // prefix(...) explains that setpriv is needed
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

  private static Path findOnPath(String program) {
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(File.pathSeparator)));
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
}
