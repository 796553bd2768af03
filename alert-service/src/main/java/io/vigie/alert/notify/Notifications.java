package io.vigie.alert.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vigie.common.redis.RedisClients;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import io.vigie.alert.config.NotifyConfig;
import io.vigie.alert.notify.api.ChannelRoutes;
import io.vigie.alert.notify.api.SilenceRoutes;
import io.vigie.common.audit.AuditLog;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.store.ChannelStore;
import io.vigie.alert.notify.store.DeliveryLog;
import io.vigie.alert.notify.store.SilenceStore;
import io.vigie.alert.notify.store.TransitionStream;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceContext;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryClientConfig;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Silences and notification channels: the alert transitions of the stream notified to webhooks and email, and the
 * {@code /api/v1/silences} and {@code /api/v1/notification-channels} routes. {@link #deploy} starts the consumer,
 * {@link #mount} adds the routes to the service's router.
 */
public final class Notifications {
  /** What the consumer works with. */
  record Parts(String consumer, long claimIdleMs, MeterRegistry meters, TransitionStream stream, SilenceStore silences,
               ChannelStore channels, DeliveryLog deliveries, Dispatcher dispatcher, Clock clock) {}

  private final RegistryClient registry;
  private final boolean smtpConfigured;
  private final WebhookAddresses webhookAddresses;
  private final Parts parts;

  /** @param clock what silences are checked against, and what a person's silence is dated with (tests move it) */
  public Notifications(Vertx vertx, String redisUrl, NotifyConfig config, VigieConfig vigie, ServiceContext context,
                       Clock clock) {
    var meters = context.meters();
    // RESP2: stream answers as plain arrays; its own pool, as a blocking XREADGROUP holds a connection
    var redis = RedisClients.create(vertx, redisUrl, new RedisOptions()
        .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxPoolSize(8).setMaxPoolWaiting(1024));
    this.registry = new RegistryClient(vertx, RegistryClientConfig.from(vigie), meters, "alert");
    this.webhookAddresses = WebhookAddresses.allowing(config.webhookAllowedNetworks());
    var email = new EmailSender(vertx, config.smtp(), registry, config.timeoutMs());
    this.smtpConfigured = email.configured();
    var deliveries = new DeliveryLog(redis, config.deliveriesKept());
    var dispatcher = new Dispatcher(vertx, config, Map.of(Channel.Kind.WEBHOOK, new WebhookSender(vertx, config.timeoutMs(), webhookAddresses),
        Channel.Kind.EMAIL, email), deliveries, meters);
    this.parts = new Parts("alert-" + UUID.randomUUID(), config.claimIdleMs(), meters, new TransitionStream(redis),
        new SilenceStore(redis), new ChannelStore(redis), deliveries, dispatcher, clock);
  }

  /** Starts consuming the transitions (and applying {@code registry.changed} to the registry cache). */
  public Future<String> deploy(Vertx vertx) {
    return registry.listen().compose(v -> vertx.deployVerticle(new NotifyVerticle(parts)));
  }

  /** Adds the silences and notification-channels routes to {@code router}. */
  public void mount(Router router, TokenVerifier verifier, AuditLog audit) {
    SilenceRoutes.mount(router, verifier, new SilenceRoutes(parts.silences(), registry, audit, parts.clock()));
    ChannelRoutes.mount(router, verifier, new ChannelRoutes.Services(parts.channels(), parts.deliveries(), registry,
        smtpConfigured, webhookAddresses, audit, (channel, transition) -> parts.dispatcher()
        .once(channel, transition, "test-" + UUID.randomUUID()).map(Attempt::toJson)));
  }
}
