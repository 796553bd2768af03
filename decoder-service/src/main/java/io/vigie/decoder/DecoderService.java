package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.decoder.config.DecoderConfig;

/**
 * The decoder: {@code uplink.received} → device context → codec → canonical measurements →
 * {@code uplink.decoded}. No HTTP routes yet (the codec playground and frame debugger come with
 * the tools issue) and no readiness check (it needs nothing outside the event bus).
 */
public final class DecoderService implements ServiceModule {

  @Override
  public String name() {
    return "decoder";
  }

  @Override
  public Future<Router> deploy(Vertx vertx, VigieConfig vigieConfig, ServiceContext context) {
    var config = DecoderConfig.from(vigieConfig);
    var metrics = new DecoderMetrics(context.meters());
    return vertx.deployVerticle(new DecoderVerticle(config, metrics)).map(id -> Router.router(vertx));
  }
}
