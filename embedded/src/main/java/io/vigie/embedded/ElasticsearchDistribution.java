package io.vigie.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch distribution (its home) that {@link EmbeddedElasticsearch} runs, and the files it takes from it.
 *
 * <p>The home is, in this order: the system property {@code vigie.es.home}, the environment variable
 * {@code VIGIE_ES_HOME}, else the distribution zip in the local Maven repository, unpacked once into
 * {@code <workDir>/../elasticsearch-dist}.
 */
final class ElasticsearchDistribution {

  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDistribution.class);

  /** The Elasticsearch version (from the build: {@code elasticsearch.version}). */
  static final String VERSION = loadVersion();

  private ElasticsearchDistribution() {
  }

  /** The Elasticsearch home to run: configured, else unpacked from the local Maven repository. */
  static Path locate(Path workDir) throws IOException {
    return locate(workDir, System.getProperty("vigie.es.home"), System.getenv("VIGIE_ES_HOME"), localRepository());
  }

  static Path locate(Path workDir, String propertyHome, String environmentHome, Path localRepository)
      throws IOException {
    List<String> tried = new ArrayList<>();
    Path configured = configuredHome("system property vigie.es.home", propertyHome, tried);
    if (configured == null) {
      configured = configuredHome("environment variable VIGIE_ES_HOME", environmentHome, tried);
    }
    if (configured != null) {
      return configured;
    }
    Path zip = localRepository.resolve("org/elasticsearch/distribution/integ-test-zip/elasticsearch/" + VERSION
        + "/elasticsearch-" + VERSION + ".zip");
    if (Files.isRegularFile(zip)) {
      Path parent = workDir.getParent() == null ? workDir : workDir.getParent();
      return unpack(zip, parent.resolve("elasticsearch-dist"));
    }
    tried.add("the local Maven repository: " + zip + " (missing)");
    throw new IOException("No Elasticsearch " + VERSION + " distribution found. Tried " + String.join("; ", tried)
        + ". Build the embedded module once (./mvnw -pl embedded -am install -DskipTests): it downloads the "
        + "distribution and unpacks it into embedded/target; or set -Dvigie.es.home (or VIGIE_ES_HOME) to an "
        + "unpacked elasticsearch-" + VERSION + ".");
  }

  private static Path configuredHome(String source, String value, List<String> tried) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path home = Path.of(value.strip()).toAbsolutePath().normalize();
    if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
      if (!Files.exists(home.resolve("lib/elasticsearch-" + VERSION + ".jar"))) {
        LOG.warn("The Elasticsearch distribution {} ({}) does not look like version {}", home, source, VERSION);
      }
      return home;
    }
    LOG.warn("Ignoring the {} ({}): no bin/elasticsearch there", source, home);
    tried.add(source + " = " + home + " (no bin/elasticsearch there)");
    return null;
  }

  static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.strip());
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Unpacks the distribution zip into {@code <root>/elasticsearch-<version>} unless already there. Atomic: unpacked into
   * a temporary directory next to it, then renamed, so a concurrent JVM or an interrupted unpack never leaves a
   * half-unpacked distribution behind.
   */
  static Path unpack(Path zip, Path root) throws IOException {
    Path target = root.resolve("elasticsearch-" + VERSION);
    if (Files.isRegularFile(target.resolve("bin/elasticsearch"))) {
      return target;
    }
    Files.createDirectories(root);
    LOG.info("Unpacking {} into {}", zip, root);
    Path temp = Files.createTempDirectory(root, ".unpacking-");
    try {
      try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
        ZipEntry entry;
        while ((entry = entries.getNextEntry()) != null) {
          Path destination = temp.resolve(entry.getName()).normalize();
          if (!destination.startsWith(temp)) {
            throw new IOException("Suspicious entry in " + zip + ": " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(destination);
          } else {
            Files.createDirectories(destination.getParent());
            Files.copy(entries, destination, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Path unpacked = temp.resolve("elasticsearch-" + VERSION);
      if (!Files.isRegularFile(unpacked.resolve("bin/elasticsearch"))) {
        throw new IOException(zip + " does not contain elasticsearch-" + VERSION + "/bin/elasticsearch");
      }
      makeReadableByAll(unpacked);
      try {
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        if (!Files.isRegularFile(target.resolve("bin/elasticsearch"))) {
          throw e;
        }
        // another JVM unpacked it at the same time
      }
    } finally {
      InfraFiles.deleteTree(temp);
    }
    return target;
  }

  /** Directories 755, files 644, {@code bin/*} 755 (zip entries carry no permissions for {@link ZipInputStream}). */
  private static void makeReadableByAll(Path home) throws IOException {
    Path bin = home.resolve("bin");
    Files.walkFileTree(home, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        boolean executable = bin.equals(file.getParent())
            && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bat");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Creates the work directory's {@code config/}, {@code data/}, {@code logs/} and {@code tmp/}, and refreshes
   * {@code config/} from the distribution, keeping what Elasticsearch added there (its keystore).
   */
  static void prepareWorkDir(Path dir, Path home) throws IOException {
    for (String sub : List.of("config", "data", "logs", "tmp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Path source = home.resolve("config");
    Path target = dir.resolve("config");
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(target.resolve(source.relativize(directory).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static String loadVersion() {
    try (InputStream in = ElasticsearchDistribution.class.getResourceAsStream("elasticsearch.properties")) {
      if (in == null) {
        throw new IllegalStateException("elasticsearch.properties is missing next to " + ElasticsearchDistribution.class);
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (!version.matches("\\d+\\.\\d+\\.\\d+.*")) {
        throw new IllegalStateException("elasticsearch.properties has no resolved version: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
