package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
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
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.Uplink;
import io.vigie.decoder.AbpFrames.Checked;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.ActivationMismatch;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.FrameCounters;
import io.vigie.registry.client.RegistryClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code uplink.received}: device context (cached by the {@link RegistryClient}); for an ABP device whose
 * payload arrives encrypted, session keys, MIC, decryption and replay guard ({@link AbpFrames}); codec, canonical
 * measurements, then {@code uplink.decoded} (request-reply) with the device context, so the enrichment need not ask
 * the registry again. The reply that comes back (the end-to-end Ack) answers the gateway; a
 * failure is passed back with its status code.
 */
final class DecoderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DecoderVerticle.class);

  private final DecoderConfig config;
  private final DecoderMetrics metrics;
  private final FrameCounters counters;
  private final Runnable onStop;
  private final UplinkDecoder decoder;
  private final WorkerExecutor codecWorkers;
  private final RegistryClient registry;
  private AbpFrames abp;
  private DeliveryOptions delivery;

  /**
   * @param decoder decodes with the device's codec
   * @param codecWorkers where scripts run (JavaScript codecs never run on the event loop)
   */
  DecoderVerticle(DecoderConfig config, DecoderMetrics metrics, FrameCounters counters, RegistryClient registry,
                  UplinkDecoder decoder, WorkerExecutor codecWorkers, Runnable onStop) {
    this.config = config;
    this.registry = registry;
    this.decoder = decoder;
    this.codecWorkers = codecWorkers;
    this.metrics = metrics;
    this.counters = counters;
    this.onStop = onStop;
  }

  @Override
  public Future<?> start() {
    delivery = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
    var bus = vertx.eventBus();
    abp = new AbpFrames(bus, registry, counters, new AbpUplinks(config.fcntReset(), config.maxFcntGap()), metrics);
    var uplinks = bus.<Object>consumer(Addresses.UPLINK_RECEIVED, this::onUplink);
    return Future.all(uplinks.completion(), registry.listen());
  }

  @Override
  public Future<?> stop() {
    onStop.run();
    return Future.succeededFuture();
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
    registry.device(uplink.devEui())
        .onFailure(failure -> refused(uplink, failure))
        .compose(device -> checked(uplink, device).compose(checked -> decode(checked, device))
            .map(measurement -> mismatched(uplink, device, measurement))
            .compose(measurement -> vertx.eventBus().request(Addresses.UPLINK_DECODED,
                    new DecodedUplink(measurement, device).toJson(), delivery)
                .recover(failure -> Future.failedFuture(unreachable(failure, "the enrichment (" + Addresses.UPLINK_DECODED + ")")))))
        .onSuccess(reply -> message.reply(reply.body()))
        .onFailure(failure -> BusReplies.fail(message, failure));
  }

  private Future<Checked> checked(Uplink uplink, DeviceContext device) {
    return AbpFrames.applies(uplink, device) ? abp.check(uplink, device) : Future.succeededFuture(new Checked(uplink, null));
  }

  /** A bus failure that is not the recipient's answer (no consumer, timeout) says who did not answer. */
  private static Throwable unreachable(Throwable failure, String who) {
    if (failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return ApiException.unavailable(who + " did not answer (" + reply.failureType() + ")");
    }
    return failure;
  }

  private Future<Measurement> decode(Checked checked, DeviceContext device) {
    var uplink = checked.uplink();
    if (checked.error() != null) return Future.succeededFuture(logged(UplinkDecoder.undecoded(uplink, checked.error()), device));
    if (!UplinkDecoder.blocking(device)) return Future.succeededFuture(logged(decoder.decode(uplink, device), device));
    return codecWorkers.executeBlocking(() -> decoder.decode(uplink, device), false).map(m -> logged(m, device));
  }

  /** The measurement with a warning when the source contradicts the device's activation (counted, logged). */
  private Measurement mismatched(Uplink uplink, DeviceContext device, Measurement measurement) {
    return ActivationMismatch.of(uplink, device).map(mismatch -> {
      metrics.activationMismatch(mismatch.tag);
      var warning = mismatch.warning(uplink);
      LOG.info("uplink {} of {}: {}", uplink.id(), uplink.devEui(), warning);
      return measurement.warned(List.of(warning));
    }).orElse(measurement);
  }

  private Measurement logged(Measurement measurement, DeviceContext device) {
    metrics.decoded(device.codecKind(), !measurement.errors().isEmpty());
    if (!measurement.errors().isEmpty()) {
      LOG.info("uplink {} of {} forwarded undecoded or partly decoded: {}", measurement.id(), measurement.devEui(),
          measurement.errors());
    }
    return measurement;
  }

  private void refused(Uplink uplink, Throwable failure) {
    var status = Errors.toApiException(failure).status();
    metrics.refused(status == 404 ? "unknown_device" : "registry_unavailable");
    if (status == 404) {
      LOG.debug("uplink {} of {}: unknown device {}", uplink.id(), uplink.devEui(), uplink.devEui());
    } else {
      LOG.warn("uplink {} of {} not decoded: {}", uplink.id(), uplink.devEui(), failure.getMessage());
    }
  }
}
