package io.vigie.decoder.store;

import io.vertx.core.Future;

/**
 * The replay guard's memory: per device, the last accepted 32-bit frame counter and the content hashes of the
 * most recently accepted frames. {@link #accept} is one atomic check-and-set, so two deliveries racing with the
 * same counter (in one decoder or in several) cannot both be accepted.
 */
public interface FrameCounters {
  /** How many recently accepted frames are remembered for re-deliveries. */
  int RECENT = 32;

  enum Verdict {
    /** Above the last accepted counter: now the last accepted one. */
    ACCEPTED,
    /** The very same frame (counter and content) as one of the {@link #RECENT} last accepted: a re-delivery. */
    REDELIVERY,
    /** Not above the last accepted counter, not a re-delivery, and accepted as a device reboot: the counter restarts. */
    RESET,
    /** Not above the last accepted counter and not a re-delivery: rejected. */
    REPLAY
  }

  /** @param lastAccepted the device's last accepted counter before this decision, -1 when none */
  record Decision(Verdict verdict, long lastAccepted) {}

  /** The last accepted counter, or -1 when the device has none yet. */
  Future<Long> last(String devEui);

  /**
   * Checks a frame against the device's counters and records it when it passes.
   *
   * @param payloadHash identifies the frame's content
   * @param resetAllowed whether a counter that is not above the last one may restart the session
   */
  Future<Decision> accept(String devEui, long fCnt32, String payloadHash, boolean resetAllowed);

  Future<Void> ping();
}
