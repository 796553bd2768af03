package io.vigie.lorawan;

/**
 * The full 32-bit frame counter of a frame that carries only its low 16 bits (LoRaWAN 1.0.x §4.3.1.5: "the
 * server must infer the 16 most-significant bits … by observing the traffic").
 *
 * <p>From the last accepted counter {@code last}, the candidates are {@code last + g} where
 * {@code g = (fCnt16 - last) mod 2^16} is how far ahead the frame would be:
 * <ul>
 *   <li>{@code g == 0}: the same counter as the last one (a re-delivery, or a replay: the replay guard decides);</li>
 *   <li>{@code 0 < g <= maxGap}: the frame is {@code g} ahead, across a 16-bit rollover if need be — the closest
 *       candidate above the last;</li>
 *   <li>{@code g > maxGap}: a jump that large is not believed (1.0.3's MAX_FCNT_GAP, 16384): the frame is taken as
 *       an older one, {@code last - (2^16 - g)}, which the replay guard then rejects. Only when that older
 *       counter would be negative is the frame taken as ahead, as there is no other reading.</li>
 * </ul>
 * With no accepted counter yet, the frame's 16 bits are the counter (a device first seen above 65535 fails its
 * MIC until its counter is known).
 */
public final class FrameCounter {
  /** The largest 32-bit counter. */
  public static final long MAX = 0xFFFF_FFFFL;
  /** LoRaWAN 1.0.x MAX_FCNT_GAP: the largest forward jump believed from 16 bits. */
  public static final int MAX_FCNT_GAP = 16384;
  /** {@code last} when no counter was accepted yet. */
  public static final long NONE = -1;

  private FrameCounter() {}

  /**
   * @param fCnt16 the counter on the wire (0..65535)
   * @param last the last accepted full counter, or {@link #NONE}
   * @param maxGap the largest forward jump believed (1..32768)
   * @return the full counter; may exceed {@link #MAX} only when the 32-bit counter would overflow, in which case it
   *     wraps to a value below {@code last} (and is rejected as a replay: the session must be renewed)
   */
  public static long reconstruct(int fCnt16, long last, int maxGap) {
    if (fCnt16 < 0 || fCnt16 > 0xFFFF) throw new IllegalArgumentException("fCnt16 is 0..65535, got " + fCnt16);
    if (maxGap < 1 || maxGap > 0x8000) throw new IllegalArgumentException("the max gap is 1..32768, got " + maxGap);
    if (last < 0) return fCnt16;
    long ahead = (fCnt16 - (last & 0xFFFF)) & 0xFFFF;
    long candidate;
    if (ahead <= maxGap) {
      candidate = last + ahead;
    } else {
      var behind = last + ahead - 0x10000;
      candidate = behind >= 0 ? behind : last + ahead;
    }
    return candidate & MAX;
  }

  /** {@link #reconstruct(int, long, int)} with the specification's {@link #MAX_FCNT_GAP}. */
  public static long reconstruct(int fCnt16, long last) {
    return reconstruct(fCnt16, last, MAX_FCNT_GAP);
  }
}
