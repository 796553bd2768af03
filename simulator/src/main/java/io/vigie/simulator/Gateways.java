package io.vigie.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The radio gateways that hear every frame: each frame is received by all of them, with its own signal. Several
 * gateways exercise the platform's de-duplication (Semtech UDP: one PUSH_DATA per gateway; network servers: one
 * {@code rxInfo} entry per gateway).
 */
public final class Gateways {
  private final List<String> euis;
  private final Random random;

  public Gateways(List<String> euis, long seed) {
    if (euis.isEmpty()) throw new IllegalArgumentException("at least one gateway");
    this.euis = List.copyOf(euis);
    this.random = new Random(seed);
  }

  /** {@code count} gateways with EUIs {@code b827ebfffe000001}, {@code …02}, … */
  public static Gateways of(int count) {
    if (count < 1 || count > 64) throw new IllegalArgumentException("1..64 gateways, got " + count);
    var euis = new ArrayList<String>();
    for (int i = 1; i <= count; i++) euis.add(String.format(Locale.ROOT, "b827ebfffe%06x", i));
    return new Gateways(euis, 1);
  }

  public List<String> euis() {
    return euis;
  }

  /** Each gateway's reception of one frame: RSSI −120…−40 dBm, SNR −15…+10 dB, the nearer ones louder. */
  public synchronized List<Frame.Reception> receptions() {
    var receptions = new ArrayList<Frame.Reception>(euis.size());
    for (int i = 0; i < euis.size(); i++) {
      var rssi = Math.round(-60 - 15.0 * i - random.nextDouble() * 20);
      var snr = Math.round((9.5 - 4.0 * i - random.nextDouble() * 3) * 4) / 4.0;
      receptions.add(new Frame.Reception(euis.get(i), Math.max(-120, rssi), Math.max(-15, snr)));
    }
    return receptions;
  }
}
