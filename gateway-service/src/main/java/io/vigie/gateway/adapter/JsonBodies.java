package io.vigie.gateway.adapter;

import io.vertx.core.buffer.Buffer;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import io.vertx.core.json.JsonObject;

/** Parses a whole body (HTTP request, MQTT payload, UDP datagram part) as one JSON object, or says why not. */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * @param what says what was expected, for the message ("a ChirpStack up event")
   * @throws InvalidUplinkException when the body is empty, not JSON, or not an object
   */
  public static JsonObject object(Buffer body, String what) {
    return object(body, what, null);
  }

  /**
   * The body as {@link #object(Buffer, String)}, only the fields of {@code shape} built (all when null): same errors,
   * same values for the fields the shape names.
   */
  public static JsonObject object(Buffer body, String what, JsonShape shape) {
    if (body == null || body.length() == 0) throw new InvalidUplinkException("the body is empty: expected " + what + " (JSON)");
    Object parsed;
    try {
      parsed = shape == null ? Json.decodeValue(body) : shaped(body, shape);
    } catch (RuntimeException e) {
      // DecodeException, and Jackson's limits (nesting depth, number length) however they surface
      throw new InvalidUplinkException("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) throw new InvalidUplinkException("the body must be a JSON object");
    return object;
  }

  private static Object shaped(Buffer body, JsonShape shape) {
    try (JsonParser parser = JacksonCodec.createParser(body)) {
      parser.nextToken();
      var value = shape.read(parser);
      if (parser.nextToken() != null) throw new DecodeException("unexpected trailing token");
      return value;
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }
}
