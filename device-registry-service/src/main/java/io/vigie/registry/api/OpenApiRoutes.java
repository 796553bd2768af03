package io.vigie.registry.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3 document of Vigie's whole public HTTP contract (every service's
 * routes, not only the registry's), from the resource {@value #RESOURCE}. Public, like the JWKS: it describes
 * the API, it holds no data.
 */
public final class OpenApiRoutes {
  public static final String RESOURCE = "/io/vigie/registry/openapi.json";

  private final Buffer document;

  private OpenApiRoutes(Buffer document) {
    this.document = document;
  }

  /** Reads the document from the class path (blocking: call from a worker or at start). */
  public static OpenApiRoutes load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
      return new OpenApiRoutes(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void mount(Router router) {
    router.get("/api/v1/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(document));
  }
}
