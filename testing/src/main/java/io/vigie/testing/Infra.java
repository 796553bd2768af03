package io.vigie.testing;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.embedded.InfraFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test infrastructure of this JVM: one Redis, one Elasticsearch and one MQTT broker, each started on first use
 * (at most once per JVM, even with parallel callers) on free loopback ports and stopped by a JVM shutdown hook.
 *
 * <p>Everything lives under the work directory: the system property {@code vigie.test.workdir} (the parent pom sets it
 * to {@code target/vigie-test} of each module), else {@code target/vigie-test}. Each server gets a sub-directory
 * ({@code redis/}, {@code elasticsearch/}, {@code mqtt/}) holding its logs; it is emptied before the server starts, so
 * every JVM starts from empty servers. If another JVM already uses that work directory (parallel forks, an IDE run next
 * to a Maven build), this JVM uses {@code <workdir>-2}, {@code <workdir>-3}... instead.
 *
 * <p>In JUnit 5 tests, prefer the annotations {@link RealRedis}, {@link RealElasticsearch} and {@link RealMqtt}.
 * If a server fails to start, every later call for it fails at once with the same cause (the end of its log included).
 */
public final class Infra {

  private static final Logger LOG = LoggerFactory.getLogger(Infra.class);

  /** The system property naming the work directory. */
  public static final String WORKDIR_PROPERTY = "vigie.test.workdir";
  private static final String DEFAULT_WORKDIR = "target/vigie-test";
  private static final int MAX_WORKDIRS = 20;

  private static final Lazy<EmbeddedRedis> REDIS =
      new Lazy<>("Redis", () -> EmbeddedRedis.start(freshDir("redis"), 0, false));
  private static final Lazy<EmbeddedRedisCluster> REDIS_CLUSTER =
      new Lazy<>("Redis Cluster", () -> EmbeddedRedisCluster.start(freshDir("redis-cluster")));
  private static final Lazy<EmbeddedElasticsearch> ELASTICSEARCH =
      new Lazy<>("Elasticsearch", () -> EmbeddedElasticsearch.start(freshDir("elasticsearch"), 0, LOG::info));
  private static final Lazy<EmbeddedMqttBroker> MQTT =
      new Lazy<>("MQTT broker", () -> EmbeddedMqttBroker.start(freshDir("mqtt"), 0));

  private static Path workDir;
  /** Held (never released) while this JVM runs: marks {@link #workDir} as in use. */
  @SuppressWarnings("unused")
  private static FileLock workDirLock;

  private Infra() {
  }

  /** This JVM's three-master Redis Cluster (no persistence), started on first call. */
  public static EmbeddedRedisCluster redisCluster() {
    return REDIS_CLUSTER.get();
  }

  /** This JVM's Redis (no persistence), started on first call. */
  public static EmbeddedRedis redis() {
    return REDIS.get();
  }

  /** This JVM's Elasticsearch (empty at start), started on first call: allow ~15 s. */
  public static EmbeddedElasticsearch elasticsearch() {
    return ELASTICSEARCH.get();
  }

  /** This JVM's MQTT broker, started on first call. */
  public static EmbeddedMqttBroker mqtt() {
    return MQTT.get();
  }

  /** The work directory of this JVM (see the class documentation), created and locked on first call. */
  public static synchronized Path workDir() {
    if (workDir == null) {
      try {
        lockWorkDir();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot set up the test work directory: " + e.getMessage(), e);
      }
    }
    return workDir;
  }

  private static void lockWorkDir() throws IOException {
    String configured = System.getProperty(WORKDIR_PROPERTY);
    Path base = Path.of(configured == null || configured.isBlank() ? DEFAULT_WORKDIR : configured.strip())
        .toAbsolutePath().normalize();
    for (int i = 1; i <= MAX_WORKDIRS; i++) {
      Path candidate = i == 1 ? base : base.resolveSibling(base.getFileName() + "-" + i);
      Files.createDirectories(candidate);
      FileChannel channel = FileChannel.open(candidate.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        workDir = candidate;
        workDirLock = lock;
        if (i > 1) {
          LOG.info("{} is in use by another JVM: using {}", base, candidate);
        }
        return;
      }
      channel.close();
    }
    throw new IOException("The work directory " + base + " and its " + (MAX_WORKDIRS - 1)
        + " alternatives are all in use by other JVMs");
  }

  /** {@code <workDir>/<name>}, emptied. */
  private static Path freshDir(String name) throws IOException {
    Path dir = workDir().resolve(name);
    InfraFiles.deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }

  @FunctionalInterface
  private interface Starter<T> {
    T start() throws IOException;
  }

  /** Started at most once; a failure is remembered and reported again to later callers. */
  private static final class Lazy<T> {
    private final String name;
    private final Starter<T> starter;
    private T value;
    private RuntimeException failure;

    Lazy(String name, Starter<T> starter) {
      this.name = name;
      this.starter = starter;
    }

    synchronized T get() {
      if (value != null) {
        return value;
      }
      if (failure != null) {
        throw new IllegalStateException(name + " failed to start earlier in this JVM: " + failure.getMessage(),
            failure);
      }
      try {
        value = starter.start();
        return value;
      } catch (IOException e) {
        failure = new UncheckedIOException(name + " could not be started: " + e.getMessage(), e);
        throw failure;
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
  }
}
