package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.Uplink;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.DeviceContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code uplink.received}: device context (cached), codec, canonical measurements, then
 * {@code uplink.decoded} (request-reply). The reply that comes back (the end-to-end Ack) answers
 * the gateway; a failure is passed back with its status code.
 */
final class DecoderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DecoderVerticle.class);

  private final DecoderConfig config;
  private final DecoderMetrics metrics;
  private final UplinkDecoder decoder = new UplinkDecoder();
  private DeviceContexts contexts;
  private DeliveryOptions delivery;

  DecoderVerticle(DecoderConfig config, DecoderMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    delivery = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    contexts = new DeviceContexts(vertx.eventBus(), config, System::nanoTime, metrics::registryRequest);
    var uplinks = vertx.eventBus().<Object>consumer(Addresses.UPLINK_RECEIVED, this::onUplink);
    var changes = vertx.eventBus().<Object>consumer(Addresses.REGISTRY_CHANGED,
        message -> contexts.changed(message.body() instanceof JsonObject change ? change : null));
    return Future.all(uplinks.completion(), changes.completion());
  }

  private void onUplink(Message<Object> message) {
    Uplink uplink;
    try {
      uplink = Uplink.fromJson((JsonObject) message.body());
    } catch (RuntimeException e) {
      metrics.refused("malformed");
      message.fail(400, "uplink.received needs an Uplink JSON object: " + e.getMessage());
      return;
    }
    contexts.get(uplink.devEui())
        .recover(failure -> Future.failedFuture(unreachable(failure, "the device registry")))
        .onFailure(failure -> refused(uplink, failure))
        .map(device -> decode(uplink, device))
        .compose(measurement -> vertx.eventBus().request(Addresses.UPLINK_DECODED, measurement.toJson(), delivery)
            .recover(failure -> Future.failedFuture(unreachable(failure, "the enrichment (" + Addresses.UPLINK_DECODED + ")"))))
        .onSuccess(reply -> message.reply(reply.body()))
        .onFailure(failure -> BusReplies.fail(message, failure));
  }

  /** A bus failure that is not the recipient's answer (no consumer, timeout) says who did not answer. */
  private static Throwable unreachable(Throwable failure, String who) {
    if (failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return ApiException.unavailable(who + " did not answer (" + reply.failureType() + ")");
    }
    return failure;
  }

  private Measurement decode(Uplink uplink, DeviceContext device) {
    var measurement = decoder.decode(uplink, device);
    metrics.decoded(device.codecKind(), !measurement.errors().isEmpty());
    if (!measurement.errors().isEmpty()) {
      LOG.info("uplink {} of {} forwarded undecoded or partly decoded: {}", uplink.id(), uplink.devEui(), measurement.errors());
    }
    return measurement;
  }

  private void refused(Uplink uplink, Throwable failure) {
    var status = Errors.toApiException(failure).status();
    metrics.refused(status == 404 ? "unknown_device" : "registry_unavailable");
    if (status == 404) {
      LOG.debug("uplink {}: unknown device {}", uplink.id(), uplink.devEui());
    } else {
      LOG.warn("uplink {} of {} not decoded: {}", uplink.id(), uplink.devEui(), failure.getMessage());
    }
  }
}
