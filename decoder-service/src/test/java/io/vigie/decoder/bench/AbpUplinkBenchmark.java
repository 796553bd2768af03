package io.vigie.decoder.bench;

import io.vigie.common.message.Uplink;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.SessionKeys;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the decoder's pipeline does per ABP uplink before the replay guard: counter reconstruction, MIC, decryption,
 * payload hash and the clear Uplink record, on the frame of bench's {@code LorawanBenchmark.typicalFrame} (whose
 * figures are the library's share of this one).
 *
 * <p>Run from the repository root: {@code bench/run decoder-service AbpUplink} (see bench/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AbpUplinkBenchmark {
  private static final HexFormat HEX = HexFormat.of();

  private SessionKeys keys;
  private Uplink uplink;
  private long fCnt;
  private AbpUplinks abp;

  @Setup
  public void setup() {
    keys = new SessionKeys(0x26011bda, HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"),
        HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
    fCnt = 0x0001_2345L;
    // a fridge probe's 16-byte report: temperature, humidity, battery and a door counter in Cayenne LPP
    var frame = DataFrames.uplink(keys, fCnt, 2, HEX.parseHex("016700eb0268640302016e0400000007"));
    uplink = new Uplink("70b3d57ed005a1b2", fCnt & 0xFFFF, 2, HEX.formatHex(frame, 9, frame.length - 4), null,
        keys.devAddrHex(), Instant.parse("2026-11-29T10:15:02.123Z"), "semtech-udp", List.of(), HEX.formatHex(frame));
    abp = new AbpUplinks(AbpUplinks.ResetPolicy.REJECT, FrameCounter.MAX_FCNT_GAP);
  }

  /** The pipeline's per-uplink LoRaWAN work before the replay guard, from the Uplink record to the clear one. */
  @Benchmark
  public AbpUplinks.Prepared prepareUplink() {
    return abp.prepare(uplink, keys, fCnt - 1);
  }
}
