package io.vigie.simulator;

import io.vigie.common.message.MessageIds;
import io.vigie.lorawan.FrameException;
import io.vigie.lorawan.PhyPayload;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One uplink as a device sent it: the whole LoRaWAN frame (PHYPayload, FRMPayload encrypted with the AppSKey, MIC
 * with the NwkSKey over the full 32-bit counter), what the simulator put in it (for checking what the platform
 * stored), and which gateways heard it.
 *
 * @param fCnt the full 32-bit frame counter (the frame carries its low 16 bits)
 * @param plain the FRMPayload in clear (Cayenne LPP)
 * @param celsius the temperature encoded in {@code plain}
 */
public record Frame(String devEui, String deviceName, int devAddr, long fCnt, int fPort, byte[] plain,
                    byte[] phyPayload, double celsius, Instant time, List<Reception> receptions) {

  /** One gateway's reception of the frame. */
  public record Reception(String gatewayEui, double rssi, double snr) {}

  public Frame {
    receptions = List.copyOf(receptions);
  }

  /** The uplink id the platform stores it under: {@code <devEui>-<fCnt as 8 hex digits>}. */
  public String id() {
    return MessageIds.uplinkId(devEui, fCnt);
  }

  /** DevAddr as people write it (8 lower-case hex digits, big-endian). */
  public String devAddrHex() {
    return PhyPayload.devAddrHex(devAddr);
  }

  /** The FRMPayload as on the air, still encrypted: what a network server without the AppSKey forwards. */
  public byte[] frmPayload() {
    try {
      return PhyPayload.parse(phyPayload).frmPayload();
    } catch (FrameException e) {
      throw new IllegalStateException("the simulator built a frame its own parser refuses: " + e.getMessage(), e);
    }
  }

  /** The same frame with one bit of its MIC flipped: a forgery (or a bit error) the MIC check must catch. */
  public Frame withMicBitFlipped() {
    var forged = Arrays.copyOf(phyPayload, phyPayload.length);
    forged[forged.length - 1] ^= 0x01;
    return new Frame(devEui, deviceName, devAddr, fCnt, fPort, plain, forged, celsius, time, receptions);
  }

  @Override
  public String toString() {
    return "Frame[" + id() + ", devAddr=" + devAddrHex() + ", " + celsius + " °C, " + receptions.size() + " gateway(s)]";
  }
}
