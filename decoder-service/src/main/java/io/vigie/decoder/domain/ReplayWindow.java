package io.vigie.decoder.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * One ABP device's replay-guard state as read from the store — the highest accepted 32-bit counter and the content
 * hashes of the frames accepted recently — and the rule that decides its frames, in memory, one after the other: a
 * batch's frames of one device are each judged after the earlier ones, exactly as if they came one at a time. Nothing
 * is recorded here: the store records a decided frame only once it is stored ({@code FrameCounters#commit}), and
 * re-applies the same rule then.
 *
 * <p>The rule, with W the replay window: the very same frame (counter and content) as one accepted →
 * {@link Verdict#REDELIVERY}; a counter above the highest → {@link Verdict#ACCEPTED}, now the highest; a counter
 * never seen and at most W below the highest → {@link Verdict#LATE} (RFC 4303 §3.4.3); otherwise, when the frame may
 * restart the session, {@link Verdict#RESET}; otherwise {@link Verdict#REPLAY}.
 */
public final class ReplayWindow {
  /** How many recently accepted frames are remembered for re-deliveries (at least). */
  public static final int RECENT = 32;

  public enum Verdict {
    /** Above the highest accepted counter: now the highest. */
    ACCEPTED,
    /** Never seen, within the replay window below the highest accepted counter: accepted once (a late frame). */
    LATE,
    /** The very same frame (counter and content) as one accepted before: a re-delivery. */
    REDELIVERY,
    /** Not above the highest counter, not a re-delivery, and accepted as a device reboot: the counter restarts. */
    RESET,
    /** Seen before with other content, or below the window, and not a re-delivery: rejected. */
    REPLAY;

    /** Whether a stored frame with this verdict changes the guard's state (and must be recorded). */
    public boolean records() {
      return this == ACCEPTED || this == LATE || this == RESET;
    }
  }

  /** @param lastAccepted the device's highest accepted counter just before this decision, -1 when none */
  public record Decision(Verdict verdict, long lastAccepted) {}

  private final int window;
  private long last;
  /** counter → content hash of the recently accepted frames (one content per counter). */
  private final TreeMap<Long, String> recent;
  /** Frames at or below this counter cannot be decided here ({@link #above}); {@link Long#MIN_VALUE}: all can. */
  private final long knownAbove;

  /**
   * @param last the highest accepted counter, -1 when none
   * @param recent counter → content hash of the frames accepted recently (at least those the batch's counters need)
   * @param window W, 0 for the strict rule
   */
  public ReplayWindow(long last, Map<Long, String> recent, int window) {
    this(last, recent, window, Long.MIN_VALUE);
  }

  private ReplayWindow(long last, Map<Long, String> recent, int window, long knownAbove) {
    if (window < 0) throw new IllegalArgumentException("the replay window cannot be negative: " + window);
    this.last = last;
    this.recent = new TreeMap<>(recent);
    this.window = window;
    this.knownAbove = knownAbove;
  }

  /**
   * A window of which only the highest accepted counter is known (a decoder's cache of what the store last answered),
   * not the frames remembered below it: it decides the frames above {@code last} — which are above every frame
   * remembered, so exactly as the store's whole state would — and {@link #knows} says which those are. A frame at or
   * below it must be decided on the store's state, read afresh.
   */
  public static ReplayWindow above(long last, int window) {
    return new ReplayWindow(last, Map.of(), window, last);
  }

  /** Whether this window can decide a frame with this counter (always, unless built by {@link #above}). */
  public boolean knows(long fCnt32) {
    return fCnt32 > knownAbove;
  }

  /** Whether this window was built by {@link #above}: only its highest counter is known. */
  public boolean partial() {
    return knownAbove != Long.MIN_VALUE;
  }

  /**
   * Frames this far below the highest counter are forgotten, except the frames of the batch that recorded them: every
   * counter inside the window (W below the highest) must be remembered so that none is accepted twice, at least
   * {@link #RECENT} for re-deliveries, and all the frames of the last batch recorded, so that the same batch processed
   * again (a retry, a lease taken over) is all re-deliveries however many frames of the device it holds.
   */
  public static int remembered(int window) {
    return Math.max(window + 1, RECENT);
  }

  /** The highest accepted counter so far (after the frames decided), -1 when none. */
  public long last() {
    return last;
  }

  /** Decides one frame after the ones decided before it, and remembers it if it passes. */
  public Decision decide(long fCnt32, String payloadHash, boolean resetAllowed) {
    var before = last;
    var seen = recent.get(fCnt32);
    if (payloadHash.equals(seen)) return new Decision(Verdict.REDELIVERY, before);
    if (fCnt32 > last) {
      last = fCnt32;
      // nothing forgotten during a batch: the store keeps every frame a batch records (see remembered)
      recent.put(fCnt32, payloadHash);
      return new Decision(Verdict.ACCEPTED, before);
    }
    if (seen == null && last - fCnt32 <= window) {
      recent.put(fCnt32, payloadHash);
      return new Decision(Verdict.LATE, before);
    }
    if (resetAllowed) {
      last = fCnt32;
      recent.clear();
      recent.put(fCnt32, payloadHash);
      return new Decision(Verdict.RESET, before);
    }
    return new Decision(Verdict.REPLAY, before);
  }
}
