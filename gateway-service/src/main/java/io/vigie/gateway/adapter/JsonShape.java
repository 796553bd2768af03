package io.vigie.gateway.adapter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a JSON body an adapter reads: the parser skips the others without building them (a network server's
 * body carries much the adapter never looks at: names, tags, ids, gateway metadata). A field named with
 * {@link #WHOLE} is read whole; with a shape of its own, an object value is read through that shape, and so is each
 * object of an array value. Values are the types Vert.x's own parse gives ({@code JsonObject}, {@code JsonArray},
 * {@code String}, Jackson's {@code Number}s, {@code Boolean}, null), so an adapter reads the same body either way;
 * malformed JSON is refused either way (skipped values are still tokenised).
 */
public final class JsonShape {
  /** A field read whole, whatever it holds. */
  public static final JsonShape WHOLE = new JsonShape(Map.of());

  private final Map<String, JsonShape> fields;

  private JsonShape(Map<String, JsonShape> fields) {
    this.fields = fields;
  }

  /** @param namesAndShapes field name, its shape ({@link #WHOLE} or another {@code of}), … */
  public static JsonShape of(Object... namesAndShapes) {
    var fields = new java.util.HashMap<String, JsonShape>();
    for (int i = 0; i < namesAndShapes.length; i += 2) fields.put((String) namesAndShapes[i], (JsonShape) namesAndShapes[i + 1]);
    return new JsonShape(Map.copyOf(fields));
  }

  /** The fields read whole. */
  public static JsonShape fields(String... names) {
    var fields = new java.util.HashMap<String, JsonShape>();
    for (var name : names) fields.put(name, WHOLE);
    return new JsonShape(Map.copyOf(fields));
  }

  /** The value at the parser's current token (the start of a value), read as far as this shape says. */
  Object read(JsonParser parser) throws IOException {
    var token = parser.currentToken();
    if (this == WHOLE) return whole(parser, token);
    if (token == JsonToken.START_OBJECT) return object(parser);
    if (token == JsonToken.START_ARRAY) {
      var list = new ArrayList<Object>();
      for (var item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) list.add(read(parser));
      return new JsonArray(list);
    }
    return whole(parser, token);
  }

  private JsonObject object(JsonParser parser) throws IOException {
    var map = new LinkedHashMap<String, Object>();
    for (var name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      var shape = fields.get(name);
      if (shape == null) {
        parser.skipChildren();
      } else {
        map.put(name, shape.read(parser));
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) throw new IOException("malformed object");
    return new JsonObject(map);
  }

  private static Object whole(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        var map = new LinkedHashMap<String, Object>();
        for (var name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          parser.nextToken();
          map.put(name, whole(parser, parser.currentToken()));
        }
        yield new JsonObject(map);
      }
      case START_ARRAY -> {
        var list = new ArrayList<Object>();
        for (var item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) list.add(whole(parser, item));
        yield new JsonArray(list);
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected token " + token);
    };
  }
}
