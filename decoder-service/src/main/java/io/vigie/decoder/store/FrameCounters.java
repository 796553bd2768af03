package io.vigie.decoder.store;

import io.vertx.core.Future;
import io.vigie.decoder.domain.ReplayWindow;
import io.vigie.decoder.domain.ReplayWindow.Decision;
import java.util.Collection;
import java.util.List;

/**
 * The replay guard's memory: per device, the highest accepted 32-bit frame counter and the content hashes of the
 * frames accepted recently. Two phases per batch, one round trip each:
 * <ol>
 *   <li>{@link #read} every device's state, decided upon in memory ({@link ReplayWindow}) — nothing is recorded;</li>
 *   <li>once the frames are stored, {@link #commit} the decided counters: each commit re-applies the rule atomically
 *       and reports a {@link Conflict} when another decoder recorded meanwhile what makes the decision wrong (the same
 *       counter with other content, a counter now below the window, a session restarted), so that two decoders racing
 *       on one device cannot both accept one counter with different contents.</li>
 * </ol>
 * A frame stored but not committed (the commit failed) is decided the same way again when its batch is retried.
 *
 * <p>An implementation may answer {@link #read} from what it last learnt of a device (its highest counter, as the
 * store answered its last read or commit) with no round trip: then the window is {@link ReplayWindow#partial} and
 * decides only the frames above that counter, which the commit re-checks like any other. A frame it cannot decide,
 * or that its counter may have made look forged (a raw frame's 16 bits extended from a counter another decoder has
 * moved since), is decided again after {@link #forget}: the next read of the device goes to the store. Such a cache is
 * exact only while its decoder is the only writer: {@link RedisFrameCounters} turns it off at the first sign of
 * another.
 */
public interface FrameCounters {

  /**
   * One device to read.
   *
   * @param from the lowest counter the batch may ask about ({@link Long#MIN_VALUE}: all the remembered frames, for
   *     frames whose counter is known only once the highest is)
   */
  record Read(String devEui, long from) {}

  /** A decided frame to record: {@code decision} is what {@link ReplayWindow#decide} answered for it. */
  record Commit(String devEui, long fCnt32, String payloadHash, Decision decision) {}

  /** A commit the store refused: {@code lastAccepted} is the device's highest counter as recorded now. */
  record Conflict(Commit commit, long lastAccepted) {}

  /** Each device's state, in one round trip (none when every device's highest counter is known), in the order given. */
  Future<List<ReplayWindow>> read(List<Read> reads);

  /** The next {@link #read} of these devices asks the store. */
  void forget(Collection<String> devEuis);

  /** Records the frames in this order, in one round trip; the conflicts, none when all were recorded. */
  Future<List<Conflict>> commit(List<Commit> commits);

  Future<Void> ping();
}
