package io.vigie.bench;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MeasurementValue;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every stage of the pipeline turns a bus message into its record and back: this is the cost
 * per uplink per stage of the canonical message shape (in a cluster, plus the wire encoding).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageCodecBenchmark {
  private Measurement measurement;
  private String measurementWire;
  private Uplink uplink;

  @Setup
  public void setup() {
    uplink = new Uplink("70b3d57ed005a1b2", 42, 2, "0167002a0268640376b1", false, "00189440",
        Instant.parse("2026-11-29T10:15:02.123Z"), "chirpstack-v4",
        List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5), new RxInfo("b827ebfffe000002", -110.0, -3.25)));
    measurement = Measurement.decoded(uplink,
            new JsonObject().put("temperature_1", 4.2).put("relative_humidity_2", 50.0).put("battery", 3.61),
            List.of(new MeasurementValue("temperature", "Cel", 4.2), new MeasurementValue("humidity", "%RH", 50.0),
                new MeasurementValue("battery", "V", 3.61)), List.of())
        .enriched("acme", new JsonObject().put("name", "Fridge 12 probe").put("type", "lht65"),
            List.of(new PathElement("acme", "tenant", "ACME"), new PathElement("site-paris", "site", "Paris"),
                new PathElement("bldg-a", "building", "Building A"), new PathElement("kitchen-1", "room", "Kitchen"),
                new PathElement("fridge-12", "asset", "Fridge 12")));
    measurementWire = measurement.toJson().encode();
  }

  /** Gateway → decoder: the uplink record to its bus body and back, as in one JVM. */
  @Benchmark
  public Uplink uplinkRoundTrip() {
    return Uplink.fromJson(uplink.toJson());
  }

  /** Enrichment → Elasticsearch / another JVM: the stored measurement to JSON text. */
  @Benchmark
  public String measurementEncode() {
    return measurement.toJson().encode();
  }

  /** Another JVM's side: JSON text to the measurement record. */
  @Benchmark
  public Measurement measurementDecode() {
    return Measurement.fromJson(new JsonObject(measurementWire));
  }
}
