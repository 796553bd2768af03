package io.vigie.gateway;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The bodies under {@code src/test/resources/payload/}, Hono style. */
public final class Fixtures {
  private Fixtures() {}

  public static JsonObject json(String name) {
    return new JsonObject(text(name));
  }

  public static String text(String name) {
    try (var in = Fixtures.class.getResourceAsStream("/payload/" + name)) {
      if (in == null) throw new IllegalStateException("missing fixture " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
