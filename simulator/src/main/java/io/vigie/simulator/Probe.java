package io.vigie.simulator;

import io.vertx.core.json.JsonObject;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.SessionKeys;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One simulated fridge probe: an ABP LoRaWAN device with its own DevAddr and session keys, a 32-bit uplink frame
 * counter that only goes up, a fridge whose temperature it reads, and a tendency to go silent. Frames are built by
 * the {@code lorawan} library's {@link DataFrames} (the code the decoder checks them with), never here.
 *
 * <p>The session keys leave the probe only in {@link #activation()} (for the registry) and in the frames; never in
 * {@link #toString()} or a log line. Thread-safe.
 */
public final class Probe {
  /** Cayenne LPP on FPort 1, temperature on channel 1. */
  public static final int FPORT = 1;

  private final String devEui;
  private final String name;
  private final String siteId;
  private final String fridgeId;
  private final SessionKeys session;
  private final FridgeModel model;
  private final Silence silence;
  private long nextFCnt;

  public Probe(String devEui, String name, String siteId, String fridgeId, int devAddr, byte[] appSKey, byte[] nwkSKey,
               FridgeModel model, Silence silence, long firstFCnt) {
    this.devEui = devEui;
    this.name = name;
    this.siteId = siteId;
    this.fridgeId = fridgeId;
    this.session = new SessionKeys(devAddr, appSKey.clone(), nwkSKey.clone());
    this.model = model;
    this.silence = silence;
    this.nextFCnt = firstFCnt;
  }

  public String devEui() {
    return devEui;
  }

  public String name() {
    return name;
  }

  public String siteId() {
    return siteId;
  }

  public String fridgeId() {
    return fridgeId;
  }

  /** The counter the next frame will carry. */
  public synchronized long nextFCnt() {
    return nextFCnt;
  }

  /** The registry's activation for this probe: {@code {"mode":"ABP","devAddr","appSKey","nwkSKey"}} (hex). */
  public JsonObject activation() {
    var hex = HexFormat.of();
    return new JsonObject().put("mode", "ABP").put("devAddr", session.devAddrHex())
        .put("appSKey", hex.formatHex(session.appSKey())).put("nwkSKey", hex.formatHex(session.nwkSKey()));
  }

  /**
   * The next reading, or null when the probe is silent for this one ({@link Silence}). A frame uses up its counter:
   * the next one is one higher, whatever happens to this one on the way.
   */
  public synchronized Frame nextFrame(Instant time, List<Frame.Reception> receptions) {
    if (silence.skips()) return null;
    var celsius = model.next();
    return frame(nextFCnt++, celsius, time, receptions);
  }

  /** The fridge this probe reads is repaired: it stops drifting warm (see {@link FridgeModel#repair()}). */
  public void repairFridge() {
    model.repair();
  }

  /** Whether the probe is in one of its silences. */
  public boolean silent() {
    return silence.silent();
  }

  /**
   * A frame with any counter and temperature, without touching the probe's counter or fridge: what tests use to
   * replay an old counter with another content.
   */
  public Frame frame(long fCnt, double celsius, Instant time, List<Frame.Reception> receptions) {
    var plain = CayenneLpp.temperature(1, celsius);
    var phyPayload = DataFrames.uplink(session, fCnt, FPORT, plain);
    return new Frame(devEui, name, session.devAddr(), fCnt, FPORT, plain, phyPayload, celsius, time, receptions);
  }

  @Override
  public String toString() {
    return "Probe[" + devEui + ", devAddr=" + session.devAddrHex() + ", keys hidden]";
  }
}
