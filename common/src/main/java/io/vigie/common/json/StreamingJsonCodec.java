package io.vigie.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.json.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Vert.x's streaming {@link JacksonCodec}, with a faster walk for writing: the types every Vigie message and document
 * is made of ({@code JsonObject}, {@code JsonArray}, {@code String}, {@code Integer}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code null}) are told apart by their exact class, before any {@code instanceof} of an interface
 * (Vert.x's walk asks {@code instanceof Map}, {@code List}, {@code Number}… of every value, which on a hot path costs
 * more than writing it). Anything else is written by Vert.x's own walk, so the JSON is the same (byte for byte but for
 * the rare double whose shortest digits {@code Double.toString} misses). Reading and pretty printing are Vert.x's.
 */
final class StreamingJsonCodec implements JsonCodec {
  private static final JsonCodec VERTX = new JacksonCodec();
  /**
   * Doubles written with Jackson's fast writer (Schubfach): {@code Double.toString} looks a thread-local converter up
   * per number, which the profile showed as the largest single cost of writing a document. The same value either way
   * (the shortest digits that read back to the same double).
   */
  static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  @Override
  public <T> T fromString(String json, Class<T> type) throws DecodeException {
    return VERTX.fromString(json, type);
  }

  @Override
  public <T> T fromBuffer(Buffer json, Class<T> type) throws DecodeException {
    return VERTX.fromBuffer(json, type);
  }

  @Override
  public <T> T fromValue(Object json, Class<T> type) {
    return VERTX.fromValue(json, type);
  }

  /** Written as bytes (Jackson's UTF-8 generator), then read as a string: cheaper than Jackson's char generator. */
  @Override
  public String toString(Object object, boolean pretty) throws EncodeException {
    return pretty ? VERTX.toString(object, true) : toBuffer(object, false).toString(StandardCharsets.UTF_8);
  }

  @Override
  public Buffer toBuffer(Object object, boolean pretty) throws EncodeException {
    if (pretty) return VERTX.toBuffer(object, true);
    return Buffer.buffer(JsonText.bytes(generator -> write(object, generator)));
  }

  static void write(Object value, JsonGenerator generator) throws IOException {
    if (value == null) {
      generator.writeNull();
      return;
    }
    var type = value.getClass();
    if (type == String.class) {
      generator.writeString((String) value);
    } else if (type == JsonObject.class) {
      writeObject(((JsonObject) value).getMap(), generator);
    } else if (type == JsonArray.class) {
      writeArray(((JsonArray) value).getList(), generator);
    } else if (type == Integer.class) {
      generator.writeNumber((Integer) value);
    } else if (type == Long.class) {
      generator.writeNumber((Long) value);
    } else if (type == Double.class) {
      generator.writeNumber((Double) value);
    } else if (type == Boolean.class) {
      generator.writeBoolean((Boolean) value);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(map, generator);
    } else if (value instanceof List<?> list) {
      writeArray(list, generator);
    } else {
      JacksonCodec.encodeJson(value, generator); // Instant, byte[], Buffer, enums, other numbers: as Vert.x writes them
    }
  }

  private static void writeObject(Map<?, ?> map, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    for (var entry : map.entrySet()) {
      generator.writeFieldName((String) entry.getKey());
      write(entry.getValue(), generator);
    }
    generator.writeEndObject();
  }

  private static void writeArray(List<?> list, JsonGenerator generator) throws IOException {
    generator.writeStartArray();
    for (var item : list) write(item, generator);
    generator.writeEndArray();
  }
}
