package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.AbpUplinks.Ready;
import io.vigie.decoder.domain.AbpUplinks.Refused;
import io.vigie.decoder.domain.AbpUplinks.Undecryptable;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.FrameCounters;
import io.vigie.decoder.store.FrameCounters.Check;
import io.vigie.decoder.store.FrameCounters.Decision;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.SessionKeys;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryFailures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigie's LoRaWAN security for the ABP uplinks of a batch whose payload arrives encrypted: session keys (cached),
 * full counter, MIC, decryption ({@link AbpUplinks}), then the replay guard ({@link FrameCounters}) for the whole
 * batch in one Redis round trip, in batch order (raw frames whose 16-bit counter needs the last accepted one cost
 * one more round trip per batch). A forged frame (MIC failure) or a replay is refused — never decoded nor stored —
 * counted, and published on {@code uplink.security}. Keys are never logged.
 */
final class AbpFrames {
  private static final Logger LOG = LoggerFactory.getLogger(AbpFrames.class);

  /**
   * What the security made of one uplink.
   *
   * @param uplink the uplink to decode (in clear when Vigie decrypted it)
   * @param error null, or why it stays encrypted (it is then stored undecoded with this error)
   * @param refused null, or the fate of an uplink that must not be decoded (malformed, MIC failure, replay)
   */
  record Checked(Uplink uplink, String error, UplinkFate refused) {
    static Checked passed(Uplink uplink) {
      return new Checked(uplink, null, null);
    }
  }

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

  /**
   * One ABP uplink of the batch on its way through the security: its session keys once fetched, the frame once
   * prepared, and the outcome once known.
   */
  private record Slot(Uplink uplink, DeviceContext device, Progress progress) {
    Slot(Uplink uplink, DeviceContext device) {
      this(uplink, device, new Progress());
    }
  }

  private static final class Progress {
    SessionKeys keys;
    Ready ready;
    Checked checked;
  }

  /**
   * The uplinks (all of them {@link #applies}) checked, in the same order; fails 503 when the registry or Redis does
   * not answer (the whole batch is then retried).
   */
  Future<List<Checked>> checkAll(List<Uplink> uplinks, List<DeviceContext> devices) {
    var slots = new ArrayList<Slot>(uplinks.size());
    for (int i = 0; i < uplinks.size(); i++) slots.add(new Slot(uplinks.get(i), devices.get(i)));
    var keys = slots.stream().map(this::keys).toList();
    return Future.all(keys)
        .compose(v -> lastCounters(slots))
        .compose(last -> {
          var checks = new ArrayList<Check>();
          var guarded = new ArrayList<Slot>();
          for (var slot : slots) {
            if (slot.progress().checked == null) prepare(slot, last, checks, guarded);
          }
          return counters.acceptAll(checks).recover(this::countersUnavailable).map(decisions -> {
            for (int i = 0; i < guarded.size(); i++) guarded.get(i).progress().checked = guarded(guarded.get(i), decisions.get(i));
            return slots.stream().map(slot -> slot.progress().checked).toList();
          });
        });
  }

  private Future<Void> keys(Slot slot) {
    return registry.sessionKeys(slot.uplink().devEui()).transform(fetched -> {
      if (fetched.succeeded()) {
        slot.progress().keys = fetched.result();
        return Future.succeededFuture();
      }
      var failure = fetched.cause();
      if (RegistryFailures.isUnavailable(failure)) {
        metrics.refused("registry_unavailable");
        return Future.failedFuture(failure);
      }
      var uplink = slot.uplink();
      if (uplink.phyPayloadHex() != null) {
        // a raw frame nobody authenticated: without keys it must not become a measurement
        metrics.refused("no_keys");
        LOG.warn("uplink {} of ABP device {} refused: no usable session keys to check its MIC ({})", uplink.id(),
            uplink.devEui(), failure.getMessage());
        slot.progress().checked = refused(uplink, uplink.fCnt(), UplinkStatus.MIC_FAILED,
            "the frame cannot be authenticated: the registry gave no usable session keys (" + failure.getMessage() + ")");
      } else {
        LOG.warn("uplink {} of ABP device {} left encrypted: no usable session keys ({})", uplink.id(), uplink.devEui(),
            failure.getMessage());
        slot.progress().checked = new Checked(uplink,
            "the payload is encrypted and the registry gave no usable session keys for this ABP device: " + failure.getMessage(), null);
      }
      return Future.succeededFuture();
    });
  }

  /** The last accepted counter of every device with a raw frame of 16 bits: one round trip, none when no such frame. */
  private Future<Map<String, Long>> lastCounters(List<Slot> slots) {
    var devEuis = new LinkedHashSet<String>();
    for (var slot : slots) {
      if (slot.progress().checked == null && AbpUplinks.needsLastCounter(slot.uplink())) devEuis.add(slot.uplink().devEui());
    }
    var ordered = List.copyOf(devEuis);
    return counters.lastAll(ordered).recover(this::countersUnavailable).map(values -> {
      var last = new HashMap<String, Long>();
      for (int i = 0; i < ordered.size(); i++) last.put(ordered.get(i), values.get(i));
      return last;
    });
  }

  /**
   * Full counter, MIC, decryption. The device's last counter moves with each frame prepared, as if accepted: a
   * device's later frames in the batch are reconstructed after its earlier ones.
   */
  private void prepare(Slot slot, Map<String, Long> last, List<Check> checks, List<Slot> guarded) {
    var uplink = slot.uplink();
    var lastAccepted = last.getOrDefault(uplink.devEui(), FrameCounter.NONE);
    var prepared = abp.prepare(uplink, slot.progress().keys, AbpUplinks.needsLastCounter(uplink) ? lastAccepted : FrameCounter.NONE);
    if (prepared instanceof Undecryptable undecryptable) {
      slot.progress().checked = new Checked(uplink, undecryptable.error(), null);
    } else if (prepared instanceof Refused refused) {
      slot.progress().checked = refuse(uplink, slot.device(), refused);
    } else {
      var ready = (Ready) prepared;
      slot.progress().ready = ready;
      if (last.containsKey(uplink.devEui())) last.put(uplink.devEui(), Math.max(lastAccepted, ready.fCnt32()));
      checks.add(new Check(uplink.devEui(), ready.fCnt32(), ready.payloadHash(), ready.resetAllowed()));
      guarded.add(slot);
    }
  }

  private Checked guarded(Slot slot, Decision decision) {
    var uplink = slot.uplink();
    var ready = slot.progress().ready;
    var fCnt = ready.fCnt32();
    switch (decision.verdict()) {
      case ACCEPTED -> metrics.abp("accepted");
      case LATE -> {
        metrics.abp("late");
        LOG.debug("uplink {} of {}: counter {} below the highest {}, never seen: accepted within the replay window",
            uplink.id(), uplink.devEui(), fCnt, decision.lastAccepted());
      }
      case REDELIVERY -> {
        // passed on: the enrichment tells whether it was stored before (then duplicate), or not yet (a retried batch)
        metrics.abp("redelivery");
        LOG.debug("uplink {} of {}: the same frame again (counter {}), passed on as a re-delivery", uplink.id(), uplink.devEui(), fCnt);
      }
      case RESET -> {
        metrics.abp("reset");
        var detail = "counter restarted at " + fCnt + " after " + decision.lastAccepted() + ": accepted as a device reboot";
        LOG.info("ABP device {}: {}", uplink.devEui(), detail);
        publish("fcnt-reset", uplink, slot.device(), fCnt, detail);
      }
      case REPLAY -> {
        var detail = "replay: counter " + fCnt + " was seen before with other content or is below the replay window"
            + " (highest accepted " + decision.lastAccepted() + ")";
        metrics.refused("replay");
        LOG.warn("uplink {} of {} rejected: {}", uplink.id(), uplink.devEui(), detail);
        publish("replay", uplink, slot.device(), fCnt, detail);
        return refused(ready.clear(), fCnt, UplinkStatus.REPLAY, detail);
      }
    }
    return Checked.passed(ready.clear());
  }

  private Checked refuse(Uplink uplink, DeviceContext device, Refused refused) {
    if (refused.reason() == AbpUplinks.Reason.MALFORMED) {
      metrics.refused("malformed_frame");
      LOG.info("uplink {} of {} refused: {}", uplink.id(), uplink.devEui(), refused.detail());
      return refused(uplink, refused.fCnt32(), UplinkStatus.MALFORMED, refused.detail());
    }
    metrics.refused("mic_failure");
    LOG.warn("uplink {} of {} from {} rejected: {}", uplink.id(), uplink.devEui(), uplink.source(), refused.detail());
    publish("mic-failure", uplink, device, refused.fCnt32(), refused.detail());
    var detail = refused.detail();
    return refused(uplink, refused.fCnt32(), UplinkStatus.MIC_FAILED,
        detail.startsWith("MIC check failed") ? detail : "MIC check failed: " + detail);
  }

  /** A refused uplink's fate, under its 32-bit counter when known. */
  private static Checked refused(Uplink uplink, long fCnt32, UplinkStatus status, String reason) {
    return new Checked(uplink, null, new UplinkFate(MessageIds.uplinkId(uplink.devEui(), fCnt32), uplink.devEui(), fCnt32,
        uplink.receivedAt(), uplink.source(), status, reason, List.of()));
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
