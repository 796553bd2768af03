package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonObject;

/**
 * Coverage-guided fuzzing of the Cayenne LPP codec (docs/fuzzing.md), with and without a device type's measurement
 * mapping. The contract: any payload is either decoded (every item a field of {@code decoded}, every measurement
 * finite) or refused whole with a {@link CodecException} that says where and why; anything else thrown is a crash.
 * In the suite the seeds of {@code CayenneLppFuzzTestInputs/payload/} (public vectors, valid and invalid) and any
 * crash file found there run; {@code bench/fuzz} fuzzes.
 */
class CayenneLppFuzzTest {
  private static final JsonObject MAPPING = new JsonObject()
      .put("analog_in_3", new JsonObject().put("name", "battery").put("unit", "V"))
      .put("temperature_2", new JsonObject().put("name", "temperature").put("unit", "Cel").put("channel", 7));

  @FuzzTest
  void payload(byte[] payload) {
    for (var mapping : new JsonObject[] {null, MAPPING}) {
      try {
        var decoding = CayenneLppCodec.decode(payload, mapping);
        assertThat(decoding.decoded().size()).isLessThanOrEqualTo(payload.length / 3);
        decoding.measurements().forEach(m -> assertThat(m.toJson().encode()).isNotEmpty());
      } catch (CodecException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    }
  }
}
