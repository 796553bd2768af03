package io.vigie.decoder.domain;

import io.vigie.common.message.Uplink;
import io.vigie.lorawan.FrameCounter;
import io.vigie.lorawan.FrameException;
import io.vigie.lorawan.LorawanCrypto;
import io.vigie.lorawan.PhyPayload;
import io.vigie.lorawan.SessionKeys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The LoRaWAN part of an ABP device's uplink, before the replay guard: the full 32-bit counter, the MIC when the
 * whole frame is known, and the FRMPayload in clear. Plain Java; the caller supplies the last accepted counter and
 * then runs the replay guard with {@link Ready#fCnt32()} and {@link Ready#payloadHash()}.
 *
 * <p>Two kinds of source:
 * <ul>
 *   <li>the whole frame ({@code phyPayloadHex}: Semtech UDP, some network servers) — everything is read from the
 *       frame, its MIC is checked, and the counter is reconstructed from its 16 bits unless the source gives a
 *       counter above 65535 that agrees with them;</li>
 *   <li>only the FRMPayload (network servers that did not decrypt) — the network server checked the MIC and gives
 *       the 32-bit counter: it is used as is.</li>
 * </ul>
 */
public final class AbpUplinks {
  /** What to do with a counter that restarts from the beginning (a device that reboots and loses its counter). */
  public enum ResetPolicy {
    /** A counter not above the last accepted one is a replay, always (the specification's rule). */
    REJECT,
    /** A counter of at most {@link #RESET_MAX_FCNT} below the last accepted one is a reboot: accepted and recorded. */
    ACCEPT_RESET;

    public static ResetPolicy fromWire(String value) {
      return switch (value) {
        case "reject" -> REJECT;
        case "accept-reset" -> ACCEPT_RESET;
        default -> throw new IllegalArgumentException("decoder.fcntReset must be reject or accept-reset, got '" + value + "'");
      };
    }
  }

  /** With {@link ResetPolicy#ACCEPT_RESET}, counters up to this one may restart a session. */
  public static final int RESET_MAX_FCNT = 2;

  /** What {@link #prepare} made of an uplink. */
  public sealed interface Prepared permits Ready, Refused, Undecryptable {}

  /**
   * Authentic as far as can be told, and in clear.
   *
   * @param clear the uplink with the full counter, the FRMPayload in clear and {@code encrypted} false
   * @param payloadHash identifies the frame's content (FPort and encrypted FRMPayload) so that a re-delivery of the
   *     same frame is told apart from another frame with the same counter
   * @param resetAllowed the counter may restart the session ({@link ResetPolicy#ACCEPT_RESET} and a small counter)
   */
  public record Ready(Uplink clear, long fCnt32, String payloadHash, boolean resetAllowed) implements Prepared {}

  /** Not to be decoded nor stored: a malformed frame, or one that fails its MIC (forged, or keys out of date). */
  public record Refused(Reason reason, long fCnt32, String detail) implements Prepared {}

  /** The network server authenticated it, but it cannot be decrypted: stored undecoded with this error. */
  public record Undecryptable(String error) implements Prepared {}

  public enum Reason { MALFORMED, MIC_FAILURE }

  private final ResetPolicy resetPolicy;
  private final int maxFcntGap;

  public AbpUplinks(ResetPolicy resetPolicy, int maxFcntGap) {
    this.resetPolicy = resetPolicy;
    this.maxFcntGap = maxFcntGap;
  }

  /** Whether {@link #prepare} needs the last accepted counter: a frame whose counter is only 16 bits wide. */
  public static boolean needsLastCounter(Uplink uplink) {
    return uplink.phyPayloadHex() != null && uplink.fCnt() <= 0xFFFF;
  }

  /**
   * @param lastAccepted the last accepted full counter ({@link FrameCounter#NONE} when none, or when
   *     {@link #needsLastCounter} is false)
   */
  public Prepared prepare(Uplink uplink, SessionKeys keys, long lastAccepted) {
    return uplink.phyPayloadHex() != null ? fromFrame(uplink, keys, lastAccepted) : fromPayload(uplink, keys);
  }

  private Prepared fromFrame(Uplink uplink, SessionKeys keys, long last) {
    PhyPayload frame;
    try {
      frame = PhyPayload.parseHex(uplink.phyPayloadHex());
    } catch (FrameException e) {
      return new Refused(Reason.MALFORMED, uplink.fCnt(), "phyPayloadHex: " + e.getMessage());
    }
    if (!frame.isUplink()) {
      return new Refused(Reason.MALFORMED, uplink.fCnt(), "phyPayloadHex is a " + frame.mType().wire() + ", not an uplink");
    }
    var wire = frame.fCnt16();
    if ((uplink.fCnt() & 0xFFFF) != wire || uplink.fCnt() < 0 || uplink.fCnt() > FrameCounter.MAX) {
      return new Refused(Reason.MALFORMED, uplink.fCnt(),
          "fCnt " + uplink.fCnt() + " does not end with the frame's 16-bit counter " + wire);
    }
    if (frame.devAddr() != keys.devAddr()) {
      return new Refused(Reason.MIC_FAILURE, uplink.fCnt(), "the frame's DevAddr " + frame.devAddrHex()
          + " is not the session's " + keys.devAddrHex() + ": the frame cannot be authenticated");
    }
    var fCnt32 = uplink.fCnt() > 0xFFFF ? uplink.fCnt() : FrameCounter.reconstruct(wire, last, maxFcntGap);
    var resetAllowed = false;
    if (!LorawanCrypto.micValid(frame, keys.nwkSKey(), fCnt32)) {
      // a device that rebooted restarts at 0: with accept-reset its small counter is tried as such
      if (resetPolicy == ResetPolicy.ACCEPT_RESET && wire <= RESET_MAX_FCNT && fCnt32 != wire
          && LorawanCrypto.micValid(frame, keys.nwkSKey(), wire)) {
        fCnt32 = wire;
      } else {
        return new Refused(Reason.MIC_FAILURE, fCnt32, "MIC check failed (counter " + fCnt32
            + (last >= 0 ? ", last accepted " + last : "") + ")");
      }
    }
    if (resetPolicy == ResetPolicy.ACCEPT_RESET && fCnt32 <= RESET_MAX_FCNT) resetAllowed = true;
    var plain = LorawanCrypto.decryptFrmPayload(frame, keys.appSKey(), keys.nwkSKey(), fCnt32);
    var clear = new Uplink(uplink.devEui(), fCnt32, frame.fPort(), HexFormat.of().formatHex(plain), false,
        frame.devAddrHex(), uplink.receivedAt(), uplink.source(), uplink.rx(), uplink.phyPayloadHex(), uplink.tx());
    return new Ready(clear, fCnt32, hash(frame.fPort(), frame.frmPayload()), resetAllowed);
  }

  private Prepared fromPayload(Uplink uplink, SessionKeys keys) {
    var fCnt32 = uplink.fCnt();
    if (fCnt32 < 0 || fCnt32 > FrameCounter.MAX) {
      return new Refused(Reason.MALFORMED, fCnt32, "fCnt " + fCnt32 + " is not a 32-bit frame counter");
    }
    byte[] encrypted;
    try {
      encrypted = HexFormat.of().parseHex(uplink.payloadHex());
    } catch (IllegalArgumentException e) {
      return new Refused(Reason.MALFORMED, fCnt32, "payloadHex is not hex");
    }
    if (uplink.devAddr() != null && !uplink.devAddr().equalsIgnoreCase(keys.devAddrHex())) {
      return new Undecryptable("the source's DevAddr " + uplink.devAddr() + " is not the registry's " + keys.devAddrHex()
          + " (a new session?): the payload was not decrypted");
    }
    if (encrypted.length > 0 && uplink.fPort() == null) {
      return new Refused(Reason.MALFORMED, fCnt32, "a payload without fPort cannot be decrypted");
    }
    var key = uplink.fPort() != null && uplink.fPort() == 0 ? keys.nwkSKey() : keys.appSKey();
    var plain = LorawanCrypto.cipher(key, true, keys.devAddr(), fCnt32, encrypted);
    var clear = new Uplink(uplink.devEui(), fCnt32, uplink.fPort(), HexFormat.of().formatHex(plain), false,
        keys.devAddrHex(), uplink.receivedAt(), uplink.source(), uplink.rx(), null, uplink.tx());
    var resetAllowed = resetPolicy == ResetPolicy.ACCEPT_RESET && fCnt32 <= RESET_MAX_FCNT;
    return new Ready(clear, fCnt32, hash(uplink.fPort(), encrypted), resetAllowed);
  }

  /** SHA-256 of FPort and the encrypted FRMPayload, first 16 bytes in hex. */
  static String hash(Integer fPort, byte[] encrypted) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update((byte) (fPort == null ? 0xFF : 0));
      digest.update((byte) (fPort == null ? 0 : fPort));
      digest.update(encrypted);
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
