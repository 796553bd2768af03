package io.vigie.registry.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vigie.registry.domain.PasswordHasher;
import java.security.SecureRandom;

/**
 * Argon2id hashing and verification, always on a small dedicated worker pool (never an event loop), which
 * also bounds the memory that concurrent logins can take.
 */
public final class Passwords {
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PasswordHasher hasher;
  private final WorkerExecutor workers;
  private Future<String> dummy;

  public Passwords(Vertx vertx, PasswordHasher hasher) {
    this.hasher = hasher;
    this.workers = vertx.createSharedWorkerExecutor("vigie-registry-argon2",
        Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> hasher.hash(password), false);
  }

  public Future<Boolean> verify(String password, String encoded) {
    return workers.executeBlocking(() -> hasher.verify(password, encoded), false);
  }

  /**
   * Spends the same work as {@link #verify} for a user that does not exist, so the answer's timing does not
   * tell whether a username exists. Always false.
   */
  public Future<Boolean> verifyUnknownUser(String password) {
    return dummyHash().compose(hash -> verify(password, hash)).map(ignored -> false);
  }

  private synchronized Future<String> dummyHash() {
    if (dummy == null || dummy.failed()) dummy = hash(generate());
    return dummy;
  }

  /** A random password of 24 unambiguous letters and digits (about 140 bits). */
  public static String generate() {
    var out = new StringBuilder(24);
    for (int i = 0; i < 24; i++) out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return out.toString();
  }

  public Future<Void> close() {
    return workers.close();
  }
}
