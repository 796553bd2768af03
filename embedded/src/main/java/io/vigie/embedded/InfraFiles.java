package io.vigie.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** File helpers shared by the embedded servers (and {@code Infra}'s fresh work folders). */
public final class InfraFiles {

  private InfraFiles() {
  }

  /** What was appended to a (log) file since it was {@code offset} bytes long; a note if it cannot be read. */
  static String since(Path file, long offset) {
    try {
      byte[] all = Files.readAllBytes(file);
      int start = (int) Math.min(Math.max(offset, 0), all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " cannot be read: " + e + ")";
    }
  }

  /** The last {@code count} lines of {@code text}. */
  static String lastLines(String text, int count) {
    String[] lines = text.split("\r?\n");
    int from = Math.max(0, lines.length - count);
    return String.join(System.lineSeparator(), Arrays.asList(lines).subList(from, lines.length));
  }

  /** The size of a file, 0 if it does not exist yet. */
  static long size(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** Deletes a directory tree, without following links; nothing if it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Runs a short system command (chown, ...) and fails with its output if it does not succeed. */
  static void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("Timed out: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new IOException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command) + ": "
            + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("Interrupted: " + String.join(" ", command), e);
    }
  }
}
