package io.vigie.decoder;

import io.vertx.core.Future;
import io.vigie.decoder.api.CodecToolRoutes;
import io.vigie.decoder.codec.JavaScriptCodecs;
import io.vigie.decoder.domain.UplinkDecoder;
import java.time.Duration;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.RedisOptions;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.common.launch.ServiceModule;
import io.vigie.decoder.api.LorawanToolRoutes;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.store.RedisFrameCounters;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;

/**
 * The decoder: {@code uplink.received} → device context → (ABP: keys, MIC, decryption, replay guard) → codec →
 * canonical measurements → {@code uplink.decoded}. Serves the frame debugger
 * {@code POST /api/v1/tools/lorawan/decode}. Needs Redis (frame counters): readiness check {@code decoder/redis}.
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
    var redis = RedisClients.create(vertx, config.redisUrl(), new RedisOptions()
        .setMaxPoolSize(8).setMaxPoolWaiting(1024));
    var counters = new RedisFrameCounters(redis, config.replayWindow(), config.guardCache());
    context.readinessCheck("redis", counters::ping);
    var workers = vertx.createSharedWorkerExecutor("vigie-codecs", config.codecThreads());
    // starting the JavaScript engine takes a second or two: on a worker, never the event loop
    return vertx.executeBlocking(() -> new JavaScriptCodecs(Duration.ofMillis(config.codecTimeoutMs()),
            (long) config.codecMaxAllocationMb() << 20))
        .compose(javascript -> {
          Runnable onStop = () -> {
            redis.close();
            workers.close();
            javascript.close();
          };
          var tools = new CodecToolRoutes(javascript, workers);
          var registry = new RegistryClient(vertx, RegistryClientConfig.from(vigieConfig), context.meters(), name());
          return vertx.deployVerticle(new DecoderVerticle(config, metrics, counters, registry, new UplinkDecoder(javascript),
                  workers, onStop))
              .compose(id -> tools.serveExamples(vertx.eventBus()))
              .map(ignored -> {
                var verifier = new TokenVerifier(vertx);
                var router = LorawanToolRoutes.router(vertx, verifier);
                tools.mount(router, verifier);
                return router;
              });
        });
  }
}
