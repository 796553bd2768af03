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
import java.security.SecureRandom;
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
