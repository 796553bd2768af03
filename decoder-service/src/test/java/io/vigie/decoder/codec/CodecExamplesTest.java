package io.vigie.decoder.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Codec examples (TTN device-repository form)")
class CodecExamplesTest {
  static final JavaScriptCodecs CODECS = new JavaScriptCodecs(Duration.ofSeconds(5), 64L << 20);

  @AfterAll
  static void close() {
    CODECS.close();
  }

  static final String CODEC = """
      function decodeUplink(input) {
        if (input.fPort !== 1) return { errors: ['unknown FPort'] };
        return { data: { temperature: ((input.bytes[0] << 24 >> 16) | input.bytes[1]) / 100 } };
      }
      """;

  @Test
  @DisplayName("passing examples, data and error forms, numbers compared by value")
  void passing() {
    var examples = new JsonArray("""
        [{"description": "4.25 °C", "input": {"fPort": 1, "bytes": [1, 169]}, "output": {"data": {"temperature": 4.25}}},
         {"description": "-18 °C", "input": {"fPort": 1, "bytes": [248, 248]}, "output": {"data": {"temperature": -18}}},
         {"description": "wrong port", "input": {"fPort": 2, "bytes": [0]}, "output": {"errors": ["unknown FPort"]}}]
        """);
    var verdicts = CodecExamples.run(CODECS, CODEC, examples);
    assertThat(verdicts).allSatisfy(v -> assertThat(v.passed()).as(v.toJson().encode()).isTrue());
  }

  @Test
  @DisplayName("a wrong expectation fails and shows what the codec answered")
  void failing() {
    var examples = new JsonArray("""
        [{"input": {"fPort": 1, "bytes": [1, 169]}, "output": {"data": {"temperature": 4.5}}},
         {"input": {"fPort": 2, "bytes": [0]}, "output": {"data": {"temperature": 0}}}]
        """);
    var verdicts = CodecExamples.run(CODECS, CODEC, examples);
    assertThat(verdicts).noneMatch(CodecExamples.Verdict::passed);
    assertThat(verdicts.get(0).actual().getJsonObject("data").getDouble("temperature")).isEqualTo(4.25);
    assertThat(verdicts.get(1).actual().getJsonArray("errors").getString(0)).isEqualTo("unknown FPort");
  }

  @Test
  @DisplayName("an example of the wrong form is refused with its index")
  void malformed() {
    assertThatThrownBy(() -> CodecExamples.run(CODECS, CODEC, new JsonArray("[{\"input\": {\"bytes\": [300]}, \"output\": {}}]")))
        .hasMessageContaining("example 0");
  }
}
