package io.vigie.gateway.adapter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Parses a whole body (HTTP request, MQTT payload, UDP datagram part) as one JSON object, or says why not. */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * @param what says what was expected, for the message ("a ChirpStack up event")
   * @throws InvalidUplinkException when the body is empty, not JSON, or not an object
   */
  public static JsonObject object(Buffer body, String what) {
    if (body == null || body.length() == 0) throw new InvalidUplinkException("the body is empty: expected " + what + " (JSON)");
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (RuntimeException e) {
      // DecodeException, and Jackson's limits (nesting depth, number length) however they surface
      throw new InvalidUplinkException("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) throw new InvalidUplinkException("the body must be a JSON object");
    return object;
  }
}
