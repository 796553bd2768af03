package io.vigie.registry.store;

import io.vigie.registry.domain.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's secrets on disk: the JWT signing key and the master key. Each is created once (owner
 * read/write only) when missing; two processes racing to create it end up reading the same file.
 * Blocking file I/O: call from a worker.
 */
public final class KeyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  public static SigningKey signingKey(Path file) {
    if (!Files.exists(file)) {
      if (createOnce(file, SigningKey.generate().pem().getBytes(StandardCharsets.US_ASCII))) {
        LOG.info("generated a new JWT signing key in {}", file);
      }
    }
    warnIfReadableByOthers(file);
    try {
      return SigningKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the JWT signing key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + file + ")");
    }
  }

  /** The key that signs new tokens, and the retired ones still published because their tokens may live. */
  public record KeyRing(SigningKey current, List<SigningKey> retired) {
    public List<String> kids() {
      var kids = new ArrayList<String>();
      kids.add(current.kid());
      retired.forEach(key -> kids.add(key.kid()));
      return kids;
    }
  }

  /**
   * The signing key file and its retired predecessors beside it ({@code <file>.retired-<epoch seconds>}): the
   * current key is retired (renamed) once older than {@code maxAge} (zero: never), then a new one is generated;
   * retired keys are loaded until {@code keepRetired} after their retirement (the longest token lifetime), then
   * deleted. An operator rotates at once by renaming the file the same way.
   */
  public static KeyRing keyRing(Path file, Duration maxAge, Duration keepRetired, Instant now) {
    try {
      if (!maxAge.isZero() && Files.exists(file)
          && Files.getLastModifiedTime(file).toInstant().plus(maxAge).isBefore(now)) {
        try {
          Files.move(file, retiredName(file, now), StandardCopyOption.ATOMIC_MOVE);
          LOG.info("retired the JWT signing key {} (older than {})", file, maxAge);
        } catch (NoSuchFileException e) {
          LOG.debug("another instance retired {} first", file);
        }
      }
      var current = signingKey(file);
      var retired = new ArrayList<SigningKey>();
      var prefix = file.getFileName() + RETIRED;
      try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
        for (var sibling : siblings.sorted(Comparator.reverseOrder()).toList()) {
          var name = sibling.getFileName().toString();
          if (!name.startsWith(prefix) || !name.substring(prefix.length()).matches("\\d{1,12}")) continue;
          var retiredAt = Instant.ofEpochSecond(Long.parseLong(name.substring(prefix.length())));
          if (retiredAt.plus(keepRetired).isBefore(now)) {
            Files.deleteIfExists(sibling);
            LOG.info("deleted the retired JWT signing key {}: no token it signed is valid any more", sibling);
          } else {
            retired.add(SigningKey.fromPem(Files.readString(sibling, StandardCharsets.US_ASCII)));
          }
        }
      }
      return new KeyRing(current, List.copyOf(retired));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the JWT signing keys beside " + file, e);
    }
  }

  private static final String RETIRED = ".retired-";

  /** Where {@link #keyRing} and an operator put a key retired at {@code at}. */
  public static Path retiredName(Path file, Instant at) {
    return file.resolveSibling(file.getFileName() + RETIRED + at.getEpochSecond());
  }

  public static byte[] masterKey(Path file) {
    if (!Files.exists(file)) {
      var key = new byte[32];
      new SecureRandom().nextBytes(key);
      if (createOnce(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII))) {
        LOG.info("generated a new master key in {} (back it up: device keys cannot be read without it)", file);
      }
    }
    warnIfReadableByOthers(file);
    try {
      var key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (key.length != 32) throw new IllegalArgumentException("the master key file " + file + " must hold 32 bytes (base64)");
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the master key " + file, e);
    }
  }

  /** Writes {@code content} to {@code file} unless it exists; true when this call created it. */
  static boolean createOnce(Path file, byte[] content) {
    try {
      var dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      var temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly(dir));
      try {
        Files.write(temp, content);
        // a hard link is created atomically and never replaces an existing file
        Files.createLink(file, temp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | IOException e) {
        if (Files.exists(file)) return false;
        Files.move(temp, file);
        return true;
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        var perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
          LOG.warn("{} is readable by other users ({}); restrict it to its owner (chmod 600)", file,
              PosixFilePermissions.toString(perms));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read the permissions of {}: {}", file, e.toString());
    }
  }
}
