package io.vigie.common.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.config.VigieConfig;
import java.util.List;

/**
 * One Vigie service as the launcher sees it: it deploys its verticles, registers its readiness
 * checks, and answers the {@link Router} of its HTTP routes. The launcher mounts that router on
 * the service's own port (service alone) or beside the others on one port (platform).
 */
public interface ServiceModule {

  /** Short name: {@code gateway}, {@code decoder}, {@code enrichment}, {@code alert}, {@code registry}, {@code realtime}. */
  String name();

  /**
   * Deploys the service; the returned router holds its routes (full paths, e.g. {@code /api/v1/nodes}).
   * An invalid configuration may be thrown as an {@link IllegalArgumentException}: the launch fails with it.
   */
  Future<Router> deploy(Vertx vertx, VigieConfig config, ServiceContext context);

  /**
   * Path prefixes only this service serves, on its hot path (the gateway's {@code /uplinks/}): their requests go
   * straight to its router instead of through the routers of every service mounted before it. None by default.
   */
  default List<String> directPrefixes() {
    return List.of();
  }

  /**
   * How many HTTP server instances (each on its own event loop) may serve this service's routes at once: 1 unless
   * every handler is safe when called from several event loops. The launcher runs as many as the smallest answer of
   * the services it serves, unless {@code http.instances} ({@code VIGIE_HTTP_INSTANCES}) says otherwise.
   */
  default int httpInstances() {
    return 1;
  }
}
