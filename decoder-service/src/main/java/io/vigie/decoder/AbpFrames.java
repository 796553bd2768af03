package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.common.message.SecurityEvent;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.AbpUplinks.Ready;
import io.vigie.decoder.domain.AbpUplinks.Refused;
import io.vigie.decoder.domain.AbpUplinks.Undecryptable;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Decision;
import io.vigie.decoder.domain.ReplayWindow.Verdict;
import io.vigie.decoder.store.FrameCounters;
import io.vigie.decoder.store.FrameCounters.Commit;
import io.vigie.decoder.store.FrameCounters.Read;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.SessionKeys;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryFailures;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigie's LoRaWAN security for the ABP uplinks of a batch whose payload arrives encrypted: session keys (cached),
 * full counter, MIC, decryption ({@link AbpUplinks}), and the replay guard in two phases. {@link #checkAll}, before
 * decoding: every device's guard state in at most ONE Redis round trip ({@link FrameCounters#read}; it also gives the
 * last counter that a raw frame's 16 bits need; none when the store's answers keep every device's highest counter
 * here), then every frame decided in memory in batch order ({@link ReplayWindow}); a device known only by its highest
 * counter whose frame that cannot decide is read from Redis and decided again (one more round trip, for such batches).
 * {@link #commit}, once the enrichment answered: the decided counters of the frames stored (or duplicate) recorded in
 * ONE round trip that re-checks them ({@link FrameCounters#commit}). A batch that fails before (storage down) records
 * nothing, so its retry is decided exactly as the first attempt. A forged frame (MIC failure) or a replay is refused —
 * never decoded nor stored — and, once the batch is answered, counted and published on {@code uplink.security}.
 * Keys are never logged.
 */
final class AbpFrames {
  private static final Logger LOG = LoggerFactory.getLogger(AbpFrames.class);

  /**
   * What the security made of one uplink.
   *
   * @param uplink the uplink to decode (in clear when Vigie decrypted it)
   * @param error null, or why it stays encrypted (it is then stored undecoded with this error)
   * @param refused null, or the fate of an uplink that must not be decoded (malformed, MIC failure, replay)
   * @param commit null, or the counter to record once the uplink is stored
   * @param report null, or what to count and publish once the batch is answered
   */
  record Checked(Uplink uplink, String error, UplinkFate refused, Commit commit, Runnable report) {
    static Checked passed(Uplink uplink) {
      return new Checked(uplink, null, null, null, null);
    }

    /** This uplink stored undecoded, with the reason. */
    Checked undecrypted(String why) {
      return new Checked(uplink, why, null, null, null);
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

  /** One ABP uplink of the batch on its way through the security: its session keys once fetched, then the outcome. */
  private record Slot(Uplink uplink, DeviceContext device, Progress progress) {
    Slot(Uplink uplink, DeviceContext device) {
      this(uplink, device, new Progress());
    }
  }

  private static final class Progress {
    SessionKeys keys;
    Checked checked;
  }

  /**
   * Phase 1: the uplinks (all of them {@link #applies}) checked, in the same order, nothing recorded yet; fails 503
   * when the registry or Redis does not answer (the whole batch is then retried).
   */
  Future<List<Checked>> checkAll(List<Uplink> uplinks, List<DeviceContext> devices) {
    var slots = new ArrayList<Slot>(uplinks.size());
    for (int i = 0; i < uplinks.size(); i++) slots.add(new Slot(uplinks.get(i), devices.get(i)));
    var keys = slots.stream().map(this::keys).toList();
    return Future.all(keys).compose(v -> decideAll(slots)).compose(unsure -> {
      if (unsure.isEmpty()) return Future.succeededFuture();
      // known here only by their highest counter, these devices sent a frame at or below it, or one that did not
      // pass: all their frames of the batch are decided again, in order, on the store's state
      counters.forget(unsure);
      var again = slots.stream().filter(slot -> unsure.contains(slot.uplink().devEui()) && slot.progress().keys != null).toList();
      again.forEach(slot -> slot.progress().checked = null);
      return decideAll(again).mapEmpty();
    }).map(v -> slots.stream().map(slot -> slot.progress().checked).toList());
  }

  /**
   * The slots not decided yet, decided on their devices' windows in batch order; the devices whose partial window
   * ({@link ReplayWindow#partial}) could not decide one of their frames (their later frames are left undecided too).
   */
  private Future<Set<String>> decideAll(List<Slot> slots) {
    return windows(slots).map(windows -> {
      var unsure = new HashSet<String>();
      for (var slot : slots) {
        var devEui = slot.uplink().devEui();
        if (slot.progress().checked != null || unsure.contains(devEui)) continue;
        var checked = prepare(slot, windows.get(devEui));
        if (checked == null) unsure.add(devEui); else slot.progress().checked = checked;
      }
      return unsure;
    });
  }

  /**
   * Phase 2, once the enrichment answered the batch: records the counters decided for the uplinks whose fate is
   * stored, codec-error or duplicate, in one round trip, then counts and publishes what the security found. Fails 503
   * when Redis does not answer or when another decoder recorded a conflicting frame meanwhile: the gateway sends the
   * batch again, decided afresh (storage is idempotent).
   *
   * @param checked what {@link #checkAll} gave, at the uplinks' places in the batch (null elsewhere)
   * @param fates the batch's fates, at the same places
   */
  Future<Void> commit(Checked[] checked, UplinkFate[] fates) {
    var commits = new ArrayList<Commit>();
    for (int i = 0; i < checked.length; i++) {
      if (checked[i] != null && checked[i].commit() != null && RECORDED.contains(fates[i].status())) commits.add(checked[i].commit());
    }
    return counters.commit(commits).recover(this::countersUnavailable).compose(conflicts -> {
      if (!conflicts.isEmpty()) {
        metrics.refused("guard_conflict");
        var first = conflicts.get(0).commit();
        LOG.warn("replay guard: {} frame(s) of this batch were decided against a state another decoder changed meanwhile"
            + " (first: counter {} of {}, highest accepted now {}): the batch fails and will be decided again", conflicts.size(),
            first.fCnt32(), first.devEui(), conflicts.get(0).lastAccepted());
        return Future.failedFuture(ApiException.unavailable("the replay guard of device " + first.devEui()
            + " changed meanwhile (another decoder recorded counter " + first.fCnt32() + " or past it): send the batch again"));
      }
      for (var c : checked) if (c != null && c.report() != null) c.report().run();
      return Future.succeededFuture();
    });
  }

  /** The fates of stored uplinks (or stored before): their counters become seen. */
  private static final Set<UplinkStatus> RECORDED = EnumSet.of(UplinkStatus.STORED, UplinkStatus.CODEC_ERROR, UplinkStatus.DUPLICATE);

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
        LOG.warn("uplink {} of ABP device {} refused: no usable session keys to check its MIC ({})", uplink.id(),
            uplink.devEui(), failure.getMessage());
        slot.progress().checked = refused(uplink, uplink.fCnt(), UplinkStatus.MIC_FAILED,
            "the frame cannot be authenticated: the registry gave no usable session keys (" + failure.getMessage() + ")",
            () -> metrics.refused("no_keys"));
      } else {
        LOG.warn("uplink {} of ABP device {} left encrypted: no usable session keys ({})", uplink.id(), uplink.devEui(),
            failure.getMessage());
        slot.progress().checked = Checked.passed(uplink).undecrypted(
            "the payload is encrypted and the registry gave no usable session keys for this ABP device: " + failure.getMessage());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * The guard state of every device still to check, in one round trip (none when there is none). A device whose
   * frames all give their 32-bit counter needs the recent frames from its lowest one up only; a raw frame's counter
   * is known only once the highest is, so its device's whole window is read.
   */
  private Future<Map<String, ReplayWindow>> windows(List<Slot> slots) {
    var from = new LinkedHashMap<String, Long>();
    for (var slot : slots) {
      if (slot.progress().checked != null) continue;
      var uplink = slot.uplink();
      var lowest = AbpUplinks.needsLastCounter(uplink) ? Long.MIN_VALUE : uplink.fCnt();
      from.merge(uplink.devEui(), lowest, Math::min);
    }
    var reads = from.entrySet().stream().map(e -> new Read(e.getKey(), e.getValue())).toList();
    if (reads.isEmpty()) return Future.succeededFuture(Map.of());
    return counters.read(reads).recover(this::countersUnavailable).map(states -> {
      var windows = new HashMap<String, ReplayWindow>();
      for (int i = 0; i < reads.size(); i++) windows.put(reads.get(i).devEui(), states.get(i));
      return windows;
    });
  }

  /**
   * Full counter (from the device's highest accepted so far, which moves with the frames decided before it), MIC,
   * decryption, then the frame decided in memory after the device's earlier frames of the batch. Null when the window
   * is partial and cannot be trusted with this frame: its counter is at or below the highest known, the frame did not
   * pass (a raw frame's counter extended from a highest counter that another decoder may have moved), or it is a replay.
   */
  private Checked prepare(Slot slot, ReplayWindow window) {
    var uplink = slot.uplink();
    var prepared = abp.prepare(uplink, slot.progress().keys,
        AbpUplinks.needsLastCounter(uplink) ? window.last() : FrameCounter.NONE);
    if (prepared instanceof Undecryptable undecryptable) return Checked.passed(uplink).undecrypted(undecryptable.error());
    if (prepared instanceof Refused refused) return window.partial() ? null : refuse(uplink, slot.device(), refused);
    var ready = (Ready) prepared;
    if (!window.knows(ready.fCnt32())) return null;
    var decision = window.decide(ready.fCnt32(), ready.payloadHash(), ready.resetAllowed());
    if (window.partial() && decision.verdict() == Verdict.REPLAY) return null;
    return guarded(slot, ready, decision);
  }

  private Checked guarded(Slot slot, Ready ready, Decision decision) {
    var uplink = slot.uplink();
    var fCnt = ready.fCnt32();
    var commit = decision.verdict().records() ? new Commit(uplink.devEui(), fCnt, ready.payloadHash(), decision) : null;
    switch (decision.verdict()) {
      case ACCEPTED -> {
        return new Checked(ready.clear(), null, null, commit, () -> metrics.abp("accepted"));
      }
      case LATE -> {
        LOG.debug("uplink {} of {}: counter {} below the highest {}, never seen: accepted within the replay window",
            uplink.id(), uplink.devEui(), fCnt, decision.lastAccepted());
        return new Checked(ready.clear(), null, null, commit, () -> metrics.abp("late"));
      }
      case REDELIVERY -> {
        // passed on: the enrichment tells whether it was stored before (then duplicate), or not yet (a retried batch)
        LOG.debug("uplink {} of {}: the same frame again (counter {}), passed on as a re-delivery", uplink.id(), uplink.devEui(), fCnt);
        return new Checked(ready.clear(), null, null, null, () -> metrics.abp("redelivery"));
      }
      case RESET -> {
        var detail = "counter restarted at " + fCnt + " after " + decision.lastAccepted() + ": accepted as a device reboot";
        return new Checked(ready.clear(), null, null, commit, () -> {
          metrics.abp("reset");
          LOG.info("ABP device {}: {}", uplink.devEui(), detail);
          publish("fcnt-reset", uplink, slot.device(), fCnt, detail);
        });
      }
      default -> {
        var detail = "replay: counter " + fCnt + " was seen before with other content or is below the replay window"
            + " (highest accepted " + decision.lastAccepted() + ")";
        LOG.warn("uplink {} of {} rejected: {}", uplink.id(), uplink.devEui(), detail);
        return refused(ready.clear(), fCnt, UplinkStatus.REPLAY, detail, () -> {
          metrics.refused("replay");
          publish("replay", uplink, slot.device(), fCnt, detail);
        });
      }
    }
  }

  private Checked refuse(Uplink uplink, DeviceContext device, Refused refused) {
    if (refused.reason() == AbpUplinks.Reason.MALFORMED) {
      LOG.info("uplink {} of {} refused: {}", uplink.id(), uplink.devEui(), refused.detail());
      return refused(uplink, refused.fCnt32(), UplinkStatus.MALFORMED, refused.detail(), () -> metrics.refused("malformed_frame"));
    }
    LOG.warn("uplink {} of {} from {} rejected: {}", uplink.id(), uplink.devEui(), uplink.source(), refused.detail());
    var detail = refused.detail();
    return refused(uplink, refused.fCnt32(), UplinkStatus.MIC_FAILED,
        detail.startsWith("MIC check failed") ? detail : "MIC check failed: " + detail, () -> {
          metrics.refused("mic_failure");
          publish("mic-failure", uplink, device, refused.fCnt32(), detail);
        });
  }

  /** A refused uplink's fate, under its 32-bit counter when known, and what to report once the batch is answered. */
  private static Checked refused(Uplink uplink, long fCnt32, UplinkStatus status, String reason, Runnable report) {
    return new Checked(uplink, null, new UplinkFate(MessageIds.uplinkId(uplink.devEui(), fCnt32), uplink.devEui(), fCnt32,
        uplink.receivedAt(), uplink.source(), status, reason, List.of()), null, report);
  }

  private void publish(String kind, Uplink uplink, DeviceContext device, long fCnt, String detail) {
    metrics.security(kind);
    bus.publish(Addresses.UPLINK_SECURITY, new SecurityEvent(kind, uplink, device.tenant(), fCnt, detail).toJson());
  }

  private <T> Future<T> countersUnavailable(Throwable failure) {
    metrics.refused("counters_unavailable");
    LOG.warn("frame counters (Redis) unavailable: {}", failure.getMessage());
    return Future.failedFuture(ApiException.unavailable("the frame counters (Redis) did not answer"));
  }
}
