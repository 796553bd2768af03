package io.vigie.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.json.EncodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON text written straight from a record with Jackson's generator, as {@link StreamingJsonCodec} writes a
 * {@code JsonObject} (same generator settings, so the same bytes for the same fields in the same order): for a message
 * encoded once on a hot path, no {@code JsonObject} is built only to be walked and thrown away.
 */
public final class JsonText {
  private JsonText() {}

  /** What writes one value with the generator (an object: start, fields, end). */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  /** The text {@code writer} writes. */
  public static String write(Writer writer) {
    return new String(bytes(writer), StandardCharsets.UTF_8);
  }

  /** The UTF-8 bytes {@code writer} writes. */
  static byte[] bytes(Writer writer) {
    var recycler = StreamingJsonCodec.FACTORY._getBufferRecycler();
    try (var bytes = new ByteArrayBuilder(recycler)) {
      try (var generator = StreamingJsonCodec.FACTORY.createGenerator(bytes)) {
        writer.write(generator);
      }
      var written = bytes.toByteArray();
      bytes.release();
      return written;
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    } finally {
      recycler.releaseToPool();
    }
  }

  /** A field whose value may be null: left out when null (as {@code toJson} methods leave optional fields out). */
  public static void optional(JsonGenerator generator, String name, String value) throws IOException {
    if (value != null) generator.writeStringField(name, value);
  }

  public static void optional(JsonGenerator generator, String name, Integer value) throws IOException {
    if (value != null) generator.writeNumberField(name, value.intValue());
  }

  public static void optional(JsonGenerator generator, String name, Long value) throws IOException {
    if (value != null) generator.writeNumberField(name, value.longValue());
  }

  public static void optional(JsonGenerator generator, String name, Double value) throws IOException {
    if (value != null) generator.writeNumberField(name, value.doubleValue());
  }

  public static void optional(JsonGenerator generator, String name, Boolean value) throws IOException {
    if (value != null) generator.writeBooleanField(name, value);
  }
}
