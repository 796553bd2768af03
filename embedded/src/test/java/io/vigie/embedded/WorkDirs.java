package io.vigie.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Work directories for the tests of this module, under the system property {@code vigie.test.workdir} (the parent pom
 * sets it to the module's {@code target/vigie-test}), else {@code target/vigie-test}: unlike a JUnit {@code @TempDir},
 * the user nobody (Elasticsearch's user when the tests run as root) can reach them.
 */
final class WorkDirs {

  private WorkDirs() {
  }

  /** {@code <work dir>/<name>}, emptied. */
  static Path fresh(String name) throws IOException {
    String configured = System.getProperty("vigie.test.workdir");
    Path dir = Path.of(configured == null || configured.isBlank() ? "target/vigie-test" : configured.strip())
        .toAbsolutePath().normalize().resolve(name);
    InfraFiles.deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }
}
