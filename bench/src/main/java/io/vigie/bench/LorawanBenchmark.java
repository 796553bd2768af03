package io.vigie.bench;

import io.vertx.core.json.JsonObject;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.FrameException;
import io.vigie.lorawan.LorawanCrypto;
import io.vigie.lorawan.PhyPayload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code lorawan} library on the decoder's hot path for an ABP uplink: parse the PHYPayload, check its MIC
 * (AES-CMAC over B0 and the frame) and decrypt the FRMPayload (AES blocks), with BouncyCastle. {@code typicalFrame}
 * is one 16-byte FRMPayload uplink; {@code allVectors} runs every frame of the public vectors file (score per
 * frame). The decoder's whole preparation of an uplink around these steps is decoder-service's
 * {@code DecoderBenchmark.prepareUplink}.
 *
 * <p>Run from the repository root ({@code bench/run Lorawan}); {@code -p vectors=<path>} points at another copy of
 * {@code lorawan-uplinks-public.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LorawanBenchmark {
  static final int VECTOR_COUNT = 200;
  private static final HexFormat HEX = HexFormat.of();

  @Param("lorawan/src/test/resources/vectors/lorawan-uplinks-public.json")
  public String vectors;

  private byte[] appSKey;
  private byte[] nwkSKey;
  private byte[] typical;
  private byte[] typicalFrmPayload;
  private long typicalFCnt;
  private byte[][] frames;
  private byte[][] vectorAppSKeys;
  private byte[][] vectorNwkSKeys;
  private long[] vectorFCnts;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    appSKey = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    nwkSKey = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    var devAddr = 0x26011bda;
    typicalFCnt = 0x0001_2345L;
    // a fridge probe's 16-byte report: temperature, humidity, battery and a door counter in Cayenne LPP
    var plain = HEX.parseHex("016700eb0268640302016e0400000007");
    typical = DataFrames.uplink(devAddr, typicalFCnt, 2, plain, appSKey, nwkSKey);
    typicalFrmPayload = java.util.Arrays.copyOfRange(typical, 9, typical.length - 4);

    var file = new JsonObject(Files.readString(Path.of(vectors), StandardCharsets.UTF_8));
    var list = file.getJsonArray("vectors");
    if (list.size() != VECTOR_COUNT) throw new IllegalStateException("expected " + VECTOR_COUNT + " vectors in " + vectors);
    frames = new byte[list.size()][];
    vectorAppSKeys = new byte[list.size()][];
    vectorNwkSKeys = new byte[list.size()][];
    vectorFCnts = new long[list.size()];
    for (int i = 0; i < list.size(); i++) {
      var v = list.getJsonObject(i);
      frames[i] = HEX.parseHex(v.getString("phyPayloadHex"));
      vectorAppSKeys[i] = HEX.parseHex(v.getString("appSKeyHex"));
      vectorNwkSKeys[i] = HEX.parseHex(v.getString("nwkSKeyHex"));
      vectorFCnts[i] = v.getLong("fCnt");
    }
  }

  /** Parse + MIC check + decryption of one uplink with a 16-byte FRMPayload. */
  @Benchmark
  public byte[] typicalFrame() throws FrameException {
    var frame = PhyPayload.parse(typical);
    if (!LorawanCrypto.micValid(frame, nwkSKey, typicalFCnt)) throw new IllegalStateException("MIC");
    return LorawanCrypto.decryptFrmPayload(frame, appSKey, nwkSKey, typicalFCnt);
  }

  @Benchmark
  public PhyPayload typicalParseOnly() throws FrameException {
    return PhyPayload.parse(typical);
  }

  @Benchmark
  public byte[] typicalMicOnly() {
    return LorawanCrypto.mic(nwkSKey, true, 0x26011bda, typicalFCnt, typical, typical.length - 4);
  }

  @Benchmark
  public byte[] typicalDecryptOnly() {
    return LorawanCrypto.cipher(appSKey, true, 0x26011bda, typicalFCnt, typicalFrmPayload);
  }

  /** Parse + MIC verdict + decryption of every frame of the vectors file; the score is per frame. */
  @Benchmark
  @OperationsPerInvocation(VECTOR_COUNT)
  public void allVectors(Blackhole blackhole) throws FrameException {
    for (int i = 0; i < frames.length; i++) {
      var frame = PhyPayload.parse(frames[i]);
      blackhole.consume(LorawanCrypto.micValid(frame, vectorNwkSKeys[i], vectorFCnts[i]));
      blackhole.consume(LorawanCrypto.decryptFrmPayload(frame, vectorAppSKeys[i], vectorNwkSKeys[i], vectorFCnts[i]));
    }
  }
}
