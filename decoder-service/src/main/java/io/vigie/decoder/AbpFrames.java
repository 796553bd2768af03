package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Uplink;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.AbpUplinks.Ready;
import io.vigie.decoder.domain.AbpUplinks.Refused;
import io.vigie.decoder.domain.AbpUplinks.Undecryptable;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.SessionKeys;
import io.vigie.decoder.store.FrameCounters;
import io.vigie.decoder.store.FrameCounters.Decision;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigie's LoRaWAN security for ABP devices whose payload arrives encrypted: session keys (cached), full counter,
 * MIC, decryption ({@link AbpUplinks}), then the replay guard ({@link FrameCounters}). A forged frame (MIC failure)
 * or a replay is refused — never decoded nor stored — counted, and published on {@code uplink.security}. Keys are
 * never logged.
 */
final class AbpFrames {
  private static final Logger LOG = LoggerFactory.getLogger(AbpFrames.class);

  /**
   * The uplink to decode.
   *
   * @param error null, or why it stays encrypted (it is then stored undecoded with this error)
   */
  record Checked(Uplink uplink, String error) {}

  private final EventBus bus;
  private final RegistryClient registry;
  private final FrameCounters counters;
  private final AbpUplinks abp;
  private final DecoderMetrics metrics;

  AbpFrames(EventBus bus, RegistryClient registry, FrameCounters counters, AbpUplinks abp, DecoderMetrics metrics) {
    this.bus = bus;
    this.registry = registry;
    this.counters = counters;
    this.abp = abp;
    this.metrics = metrics;
  }

  /** Whether Vigie decrypts this uplink: an ABP device, and a payload that arrives encrypted. */
  static boolean applies(Uplink uplink, DeviceContext device) {
    return "ABP".equalsIgnoreCase(device.activationMode()) && UplinkDecoder.isEncrypted(uplink, device);
  }

  /** The uplink in clear; fails 400 (malformed frame, MIC), 409 (replay) or 503 (registry, Redis unreachable). */
  Future<Checked> check(Uplink uplink, DeviceContext device) {
    return registry.sessionKeys(uplink.devEui()).transform(fetched -> {
      if (fetched.succeeded()) return secure(uplink, device, fetched.result());
      var failure = fetched.cause();
      if (RegistryFailures.isUnavailable(failure)) {
        metrics.refused("registry_unavailable");
        return Future.failedFuture(failure);
      }
      if (uplink.phyPayloadHex() != null) {
        // a raw frame nobody authenticated: without keys it must not become a measurement
        metrics.refused("no_keys");
        LOG.warn("uplink {} of ABP device {} refused: no usable session keys to check its MIC ({})", uplink.id(),
            uplink.devEui(), failure.getMessage());
        return Future.failedFuture(new ApiException(400, "bad_request",
            "the frame cannot be authenticated: the registry gave no usable session keys (" + failure.getMessage() + ")"));
      }
      LOG.warn("uplink {} of ABP device {} left encrypted: no usable session keys ({})", uplink.id(), uplink.devEui(),
          failure.getMessage());
      return Future.succeededFuture(new Checked(uplink,
          "the payload is encrypted and the registry gave no usable session keys for this ABP device: " + failure.getMessage()));
    });
  }

  private Future<Checked> secure(Uplink uplink, DeviceContext device, SessionKeys session) {
    var last = AbpUplinks.needsLastCounter(uplink) ? counters.last(uplink.devEui())
        : Future.succeededFuture(FrameCounter.NONE);
    return last.recover(this::countersUnavailable).compose(lastAccepted -> {
      var prepared = abp.prepare(uplink, session, lastAccepted);
      if (prepared instanceof Undecryptable undecryptable) {
        return Future.succeededFuture(new Checked(uplink, undecryptable.error()));
      }
      if (prepared instanceof Refused refused) {
        return Future.failedFuture(refuse(uplink, device, refused));
      }
      var ready = (Ready) prepared;
      return counters.accept(uplink.devEui(), ready.fCnt32(), ready.payloadHash(), ready.resetAllowed())
          .recover(this::countersUnavailable)
          .compose(decision -> guarded(uplink, device, ready, decision));
    });
  }

  private Future<Checked> guarded(Uplink uplink, DeviceContext device, Ready ready, Decision decision) {
    var fCnt = ready.fCnt32();
    switch (decision.verdict()) {
      case ACCEPTED -> metrics.abp("accepted");
      case REDELIVERY -> {
        metrics.abp("redelivery");
        LOG.debug("uplink {} of {}: the same frame again (counter {}), passed on as a re-delivery", uplink.id(), uplink.devEui(), fCnt);
      }
      case RESET -> {
        metrics.abp("reset");
        var detail = "counter restarted at " + fCnt + " after " + decision.lastAccepted() + ": accepted as a device reboot";
        LOG.info("ABP device {}: {}", uplink.devEui(), detail);
        publish("fcnt-reset", uplink, device, fCnt, detail);
      }
      case REPLAY -> {
        var detail = "replay: counter " + fCnt + " is not above the last accepted " + decision.lastAccepted();
        metrics.refused("replay");
        LOG.warn("uplink {} of {} rejected: {}", uplink.id(), uplink.devEui(), detail);
        publish("replay", uplink, device, fCnt, detail);
        return Future.failedFuture(ApiException.conflict(detail));
      }
    }
    return Future.succeededFuture(new Checked(ready.clear(), null));
  }

  private ApiException refuse(Uplink uplink, DeviceContext device, Refused refused) {
    if (refused.reason() == AbpUplinks.Reason.MALFORMED) {
      metrics.refused("malformed_frame");
      LOG.info("uplink {} of {} refused: {}", uplink.id(), uplink.devEui(), refused.detail());
      return ApiException.badRequest(refused.detail());
    }
    metrics.refused("mic_failure");
    LOG.warn("uplink {} of {} from {} rejected: {}", uplink.id(), uplink.devEui(), uplink.source(), refused.detail());
    publish("mic-failure", uplink, device, refused.fCnt32(), refused.detail());
    var detail = refused.detail();
    return ApiException.badRequest(detail.startsWith("MIC check failed") ? detail : "MIC check failed: " + detail);
  }

  private void publish(String kind, Uplink uplink, DeviceContext device, long fCnt, String detail) {
    metrics.security(kind);
    bus.publish(Addresses.UPLINK_SECURITY, new JsonObject().put("kind", kind).put("devEui", uplink.devEui())
        .put("tenant", device.tenant()).put("fCnt", fCnt).put("receivedAt", uplink.receivedAt().toString())
        .put("source", uplink.source()).put("detail", detail));
  }

  private <T> Future<T> countersUnavailable(Throwable failure) {
    metrics.refused("counters_unavailable");
    LOG.warn("frame counters (Redis) unavailable: {}", failure.getMessage());
    return Future.failedFuture(ApiException.unavailable("the frame counters (Redis) did not answer"));
  }
}
