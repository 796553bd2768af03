package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public Cayenne LPP vectors ({@code /work/shared/vectors/cayenne-lpp-public.json}, copied
 * unchanged under {@code src/test/resources/vectors/}), produced by the npm {@code cayenne-lpp}
 * package and cross-checked by an independent encoder.
 */
class CayenneLppVectorsTest {
  private static final JsonObject FILE = load();

  private static JsonObject load() {
    try (var in = CayenneLppVectorsTest.class.getResourceAsStream("/vectors/cayenne-lpp-public.json")) {
      if (in == null) throw new IllegalStateException("missing /vectors/cayenne-lpp-public.json");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<JsonObject> vectors() {
    return FILE.getJsonArray("vectors").stream().map(JsonObject.class::cast);
  }

  static Stream<JsonObject> valid() {
    return vectors().filter(v -> v.getBoolean("valid"));
  }

  static Stream<JsonObject> invalid() {
    return vectors().filter(v -> !v.getBoolean("valid"));
  }

  @Test
  @DisplayName("the whole vector file is used: 150 vectors of which 8 invalid")
  void wholeFile() {
    assertThat(vectors().count()).isEqualTo(150L).isEqualTo(FILE.getLong("count"));
    assertThat(invalid().count()).isEqualTo(8L).isEqualTo(FILE.getLong("invalidCount"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  @DisplayName("every valid vector decodes to the expected items, raw integers exactly, values within 1e-9")
  void validVector(JsonObject vector) {
    var items = CayenneLpp.decode(HexFormat.of().parseHex(vector.getString("payloadHex")));

    var expected = vector.getJsonArray("expected").stream().map(JsonObject.class::cast).toList();
    assertThat(items).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      var want = expected.get(i);
      var item = items.get(i);
      var label = vector.getString("id") + " item " + i;
      assertThat(item.channel()).as(label + " channel").isEqualTo(want.getInteger("channel"));
      assertThat(item.type().code()).as(label + " type").isEqualTo(want.getInteger("type"));
      assertThat(item.type().ipsoName()).as(label + " typeName").isEqualTo(want.getString("typeName"));
      if (item.type().axes().isEmpty()) {
        assertThat(item.raw()).as(label + " raw").containsExactly(want.getInteger("raw"));
        assertThat(item.value()).as(label + " value").isCloseTo(want.getDouble("value"), within(1e-9));
      } else {
        var raw = want.getJsonObject("raw");
        var value = want.getJsonObject("value");
        assertThat(raw.fieldNames()).as(label + " axes").containsExactlyInAnyOrderElementsOf(item.type().axes());
        for (int axis = 0; axis < item.type().axes().size(); axis++) {
          var name = item.type().axes().get(axis);
          assertThat(item.raw().get(axis)).as(label + " raw " + name).isEqualTo(raw.getInteger(name));
          assertThat(item.value(axis)).as(label + " value " + name).isCloseTo(value.getDouble(name), within(1e-9));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  @DisplayName("every valid vector gives decoded fields in TTN naming, one per channel and type")
  void validVectorDecodedFields(JsonObject vector) {
    var decoding = CayenneLppCodec.decode(HexFormat.of().parseHex(vector.getString("payloadHex")), null);

    var expectedFields = vector.getJsonArray("expected").stream().map(JsonObject.class::cast)
        .map(e -> LppType.byCode(e.getInteger("type")).orElseThrow().ttnName() + "_" + e.getInteger("channel"))
        .distinct().toList();
    assertThat(List.copyOf(decoding.decoded().fieldNames())).containsExactlyElementsOf(expectedFields);
    assertThat(decoding.errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  @DisplayName("every truncated vector is rejected")
  void invalidVector(JsonObject vector) {
    assertThat(vector.getString("error")).isEqualTo("truncated");

    assertThatThrownBy(() -> CayenneLpp.decode(HexFormat.of().parseHex(vector.getString("payloadHex"))))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("truncated");
  }
}
