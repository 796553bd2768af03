package io.vigie.common.json;

import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Makes Vert.x encode and decode {@code JsonObject}s with Jackson's streaming API ({@code JacksonCodec}) rather than
 * with jackson-databind, which Vert.x picks whenever databind is on the class path (the Elasticsearch client brings
 * it). Databind looks a serializer up for every value of every map it writes; the streaming codec writes the JSON
 * types directly, which is what every message and document of Vert.x is made of. Vigie never maps POJOs through
 * {@code JsonObject.mapFrom}/{@code mapTo}, the only thing the streaming codec cannot do. Writing goes through
 * {@link StreamingJsonCodec}'s walk, which tells the usual JSON types apart by their class.
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new StreamingJsonCodec();

  /** Before Vert.x's own factory ({@link Integer#MAX_VALUE}). */
  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
