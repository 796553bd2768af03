package io.vigie.decoder.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * The replay guard's memory: per device, the highest accepted 32-bit frame counter and the content hashes of the
 * frames accepted recently (at least the {@link #RECENT} last ones, and every one inside the replay window). Each
 * check is one atomic check-and-set, so two deliveries racing with the same counter (in one decoder or in several)
 * cannot both be accepted; {@link #acceptAll} checks a whole batch in one round trip, in the order given.
 */
public interface FrameCounters {
  /** How many recently accepted frames are remembered for re-deliveries (at least). */
  int RECENT = 32;

  enum Verdict {
    /** Above the highest accepted counter: now the highest. */
    ACCEPTED,
    /** Never seen, within the replay window below the highest accepted counter: accepted once (a late frame). */
    LATE,
    /** The very same frame (counter and content) as one accepted before: a re-delivery. */
    REDELIVERY,
    /** Not above the highest counter, not a re-delivery, and accepted as a device reboot: the counter restarts. */
    RESET,
    /** Seen before with other content, or below the window, and not a re-delivery: rejected. */
    REPLAY
  }

  /** @param lastAccepted the device's highest accepted counter before this decision, -1 when none */
  record Decision(Verdict verdict, long lastAccepted) {}

  /**
   * One frame to check.
   *
   * @param payloadHash identifies the frame's content
   * @param resetAllowed whether a counter that is not above the last one may restart the session
   */
  record Check(String devEui, long fCnt32, String payloadHash, boolean resetAllowed) {}

  /** The highest accepted counter of each device (-1 when none), in one round trip. */
  Future<List<Long>> lastAll(List<String> devEuis);

  /** Checks the frames in this order and records those that pass, in one round trip; one decision per check. */
  Future<List<Decision>> acceptAll(List<Check> checks);

  /** The highest accepted counter, or -1 when the device has none yet. */
  default Future<Long> last(String devEui) {
    return lastAll(List.of(devEui)).map(all -> all.get(0));
  }

  /** {@link #acceptAll} of one frame. */
  default Future<Decision> accept(String devEui, long fCnt32, String payloadHash, boolean resetAllowed) {
    return acceptAll(List.of(new Check(devEui, fCnt32, payloadHash, resetAllowed))).map(all -> all.get(0));
  }

  Future<Void> ping();
}
