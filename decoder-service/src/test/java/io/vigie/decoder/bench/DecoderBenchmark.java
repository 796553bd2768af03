package io.vigie.decoder.bench;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Uplink;
import io.vigie.decoder.codec.JavaScriptCodecs;
import io.vigie.decoder.codec.VendorFields;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.CayenneLppCodec;
import io.vigie.decoder.domain.Decoding;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.SessionKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
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
 * The decoder's own work per uplink, warm: the preparation of an ABP uplink ({@code prepareUplink}: counter
 * reconstruction, MIC, decryption, payload hash and the clear Uplink record, around the {@code lorawan} library
 * that bench's {@code LorawanBenchmark} measures alone), then the payload codecs: Cayenne LPP (built in) and a
 * typical vendor JavaScript codec on GraalJS.
 *
 * <p>Run from the repository root: {@code bench/run decoder-service} (see bench/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {
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
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] lppFrame = HEX.parseHex("016700eb02686e0302015e");
  private final byte[] vendorFrame = HEX.parseHex("cbf6ff9c01f4");
  private final Instant now = Instant.parse("2026-11-29T10:15:02Z");
  private JavaScriptCodecs javascript;
  private SessionKeys keys;
  private Uplink abpUplink;
  private long fCnt;
  private AbpUplinks abp;

  @Setup
  public void setup() {
    javascript = new JavaScriptCodecs(Duration.ofSeconds(1), 64L << 20);
    keys = new SessionKeys(0x26011bda, HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"),
        HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
    fCnt = 0x0001_2345L;
    // a fridge probe's 16-byte report: temperature, humidity, battery and a door counter in Cayenne LPP
    var frame = DataFrames.uplink(keys, fCnt, 2, HEX.parseHex("016700eb0268640302016e0400000007"));
    abpUplink = new Uplink("70b3d57ed005a1b2", fCnt & 0xFFFF, 2, HEX.formatHex(frame, 9, frame.length - 4), null,
        keys.devAddrHex(), now, "semtech-udp", List.of(), HEX.formatHex(frame));
    abp = new AbpUplinks(AbpUplinks.ResetPolicy.REJECT, FrameCounter.MAX_FCNT_GAP);
  }

  @TearDown
  public void tearDown() {
    javascript.close();
  }

  /** The pipeline's per-uplink LoRaWAN work before the replay guard, from the Uplink record to the clear one. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public AbpUplinks.Prepared prepareUplink() {
    return abp.prepare(abpUplink, keys, fCnt - 1);
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
