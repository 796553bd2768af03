package io.vigie.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Vigie's JSON writing")
class StreamingJsonCodecTest {
  enum Kind { SITE }

  private static JsonObject everything() {
    var map = new LinkedHashMap<String, Object>();
    map.put("inner", List.of(1, "two", 3.5));
    var list = new ArrayList<Object>();
    list.add(null);
    list.add(Map.of("k", "v"));
    return new JsonObject().put("text", "Fridge \"12\" — 23,5 °C\n\t\u0001").put("int", 42).put("long", 1L << 40)
        .put("double", 23.5).put("negative", -0.0).put("float", 1.25f).put("short", (short) 7).put("byte", (byte) 1)
        .put("big", new BigDecimal("12345678901234567890.5")).put("bigint", new BigInteger("123456789012345678901234"))
        .put("yes", true).put("no", false).putNull("nothing").put("at", Instant.parse("2026-12-06T00:03:31.661Z"))
        .put("bytes", new byte[] {1, 2, 3}).put("buffer", Buffer.buffer("abc")).put("kind", Kind.SITE)
        .put("map", map).put("list", list).put("array", new JsonArray().add(new JsonObject().put("a", 1)).add(new JsonArray()))
        .put("empty", new JsonObject());
  }

  @Test
  @DisplayName("writes every type a JsonObject may hold exactly as Vert.x's own codec does, as text and as bytes")
  void sameAsVertx() {
    var vertx = new JacksonCodec();
    var ours = new StreamingJsonCodec();
    var json = everything();

    assertThat(ours.toString(json, false)).isEqualTo(vertx.toString(json, false));
    assertThat(ours.toBuffer(json, false)).isEqualTo(vertx.toBuffer(json, false));
    assertThat(ours.toString(json, true)).isEqualTo(vertx.toString(json, true));
    assertThat(ours.toString("just text", false)).isEqualTo("\"just text\"");
  }

  @Test
  @DisplayName("every double reads back as the same double (the shortest digits that do)")
  void doubles() {
    var ours = new StreamingJsonCodec();
    var random = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 10_000; i++) {
      double value = i % 2 == 0 ? random.nextDouble(-1e6, 1e6) : Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(value)) continue;
      var text = ours.toString(new JsonObject().put("v", value), false);
      assertThat(new JsonObject(text).getDouble("v")).as(text).isEqualTo(value);
    }
    assertThat(ours.toString(new JsonObject().put("v", 23.5).put("w", 0.1).put("x", 1e-7), false))
        .isEqualTo("{\"v\":23.5,\"w\":0.1,\"x\":1.0E-7}");
  }

  @Test
  @DisplayName("is what JsonObject.encode uses, and what it writes reads back the same")
  void installed() {
    assertThat(Json.CODEC).isInstanceOf(StreamingJsonCodec.class);
    var json = new JsonObject().put("devEui", "70b3d57ed00007aa").put("values", new JsonArray().add(1.5).add(2L));
    assertThat(new JsonObject(json.encode())).isEqualTo(json);
    assertThat(new JsonObject(json.toBuffer())).isEqualTo(json);
  }
}
