package io.vigie.decoder.bench;

import io.vertx.core.json.JsonObject;
import io.vigie.decoder.codec.JavaScriptCodecs;
import io.vigie.decoder.codec.VendorFields;
import io.vigie.decoder.domain.CayenneLppCodec;
import io.vigie.decoder.domain.Decoding;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Payload codecs, warm: Cayenne LPP (built in) and a typical vendor JavaScript codec on GraalJS.
 *
 * <p>Run from the repository root: {@code bench/run decoder-service Codec} (see bench/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  /** In the style of an LHT65 codec: bit fields, signed values, several fields. */
  static final String VENDOR_CODEC = """
      function decodeUplink(input) {
        var b = input.bytes;
        var raw = b[2] << 8 | b[3];
        return { data: {
          BatV: ((b[0] << 8 | b[1]) & 0x3FFF) / 1000,
          TempC_SHT: (raw & 0x8000 ? raw - 0x10000 : raw) / 100,
          Hum_SHT: (b[4] << 8 | b[5]) / 10,
          status: (b[0] >> 6) & 0x03 } };
      }
      """;

  private final byte[] lppFrame = HexFormat.of().parseHex("016700eb02686e0302015e");
  private final byte[] vendorFrame = HexFormat.of().parseHex("cbf6ff9c01f4");
  private final Instant now = Instant.parse("2026-11-29T10:15:02Z");
  private JavaScriptCodecs javascript;

  @Setup
  public void setup() {
    javascript = new JavaScriptCodecs(Duration.ofSeconds(1), 64L << 20);
  }

  @TearDown
  public void tearDown() {
    javascript.close();
  }

  /** Three LPP items (temperature, humidity, analog input) to decoded fields and canonical measurements. */
  @Benchmark
  public Decoding cayenneLpp() {
    return CayenneLppCodec.decode(lppFrame, null);
  }

  /** The vendor codec through the sandbox (watchdog included), then standardisation. */
  @Benchmark
  public VendorFields.Result javascriptCodec() {
    var result = javascript.decode(VENDOR_CODEC, 2, vendorFrame, now, new JsonObject());
    return VendorFields.standardise(result.data(), null);
  }
}
