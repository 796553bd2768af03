package io.vigie.gateway.bench;

import io.vertx.core.buffer.Buffer;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.adapter.ChirpStackV4;
import io.vigie.gateway.adapter.JsonBodies;
import io.vigie.gateway.api.IngestAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway's own work per ChirpStack webhook, warm, without the HTTP server: the body read into the canonical
 * {@link Uplink} (whole, as before, and through the adapter's shape), the integration secret's check (the SHA-256
 * digests compared before, the constant-time comparison now) and the log entry's JSON.
 *
 * <p>Run from the repository root: {@code bench/run gateway-service -f 1 -wi 3 -i 5} (see bench/README.md); on a
 * shared machine compare CPU time, not these wall times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WebhookBenchmark {
  private static final String SECRET = "s3cr3t-integration-token-of-32-chars";
  private final ChirpStackV4 chirpStack = new ChirpStackV4(Clock.systemUTC());
  private final Buffer body = fixture("chirpstack-v4-up.json");
  private final IngestAuth auth = new IngestAuth(SECRET);
  private final Uplink uplink = chirpStack.uplink(JsonBodies.object(body, "an up event"));
  private final String presented = new String(SECRET.toCharArray());

  @Benchmark
  public Uplink chirpStackWholeBody() {
    return chirpStack.uplink(JsonBodies.object(body, "an up event"));
  }

  @Benchmark
  public Uplink chirpStackShapedBody() {
    return chirpStack.uplink(JsonBodies.object(body, "an up event", chirpStack.shape()));
  }

  @Benchmark
  public boolean secretDigests() throws NoSuchAlgorithmException {
    var expected = MessageDigest.getInstance("SHA-256").digest(SECRET.getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(expected, MessageDigest.getInstance("SHA-256").digest(presented.getBytes(StandardCharsets.UTF_8)));
  }

  @Benchmark
  public boolean secretConstantTime() {
    return auth.matches(presented);
  }

  /** The log entry's JSON as the gateway writes it: straight from the record. */
  @Benchmark
  public String logEntry() {
    return uplink.encode();
  }

  /** The same text through a {@code JsonObject}, as it was written before. */
  @Benchmark
  public String logEntryThroughJsonObject() {
    return uplink.toJson().encode();
  }

  private static Buffer fixture(String name) {
    try (var in = WebhookBenchmark.class.getResourceAsStream("/payload/" + name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
