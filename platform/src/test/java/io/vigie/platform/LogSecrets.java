package io.vigie.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What no log line may hold: the secrets a test used (passwords, integration secrets, keys, tokens), and anything
 * shaped like a JWT, an Argon2 hash or an AES-128 key (32 hex digits in a row). Each leak is told without the secret.
 */
final class LogSecrets {
  static final List<Pattern> SHAPES = List.of(
      Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"),
      Pattern.compile("\\$argon2id\\$"),
      Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])"));

  private LogSecrets() {
  }

  /** The leaks among {@code lines}. */
  static List<String> leaks(Collection<String> lines, Collection<String> secrets) {
    var leaks = new ArrayList<String>();
    for (var line : lines) {
      var lower = line.toLowerCase(Locale.ROOT);
      for (var secret : secrets) {
        if (lower.contains(secret.toLowerCase(Locale.ROOT))) {
          leaks.add("a secret starting " + secret.substring(0, 3) + "… in " + line.replace(secret, "***"));
        }
      }
      for (var shape : SHAPES) {
        if (shape.matcher(line).find()) leaks.add("a " + shape.pattern() + " in " + shape.matcher(line).replaceAll("***"));
      }
    }
    return leaks;
  }

  /** The lines of every {@code .log} file in {@code folder} (the services' logs of a run), in file order. */
  static List<String> logLines(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().flatMap(f -> {
        try {
          return Files.readAllLines(f).stream().map(line -> f.getFileName() + ": " + line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }
}
