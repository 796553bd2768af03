package io.vigie.decoder.domain;

import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Uplink;
import java.util.Optional;

/**
 * A source that contradicts the device's registered activation about who decrypts the payload. Both are kept (never
 * dropped), counted and recorded as a warning on the stored uplink:
 * <ul>
 *   <li>{@link #ABP_CLEAR}: an ABP device (Vigie holds its session keys) whose payload the source says it already
 *       decrypted ({@code encrypted=false}): the clear payload is decoded as given, but Vigie checked neither its MIC
 *       nor its frame counter;</li>
 *   <li>{@link #NETWORK_ENCRYPTED}: a network-decrypted device whose payload arrives encrypted
 *       ({@code encrypted=true}): Vigie has no key to decrypt it, so it is stored undecoded (with an error).</li>
 * </ul>
 * A source that does not say ({@code encrypted} null) contradicts nothing.
 */
public enum ActivationMismatch {
  ABP_CLEAR("abp_clear"),
  NETWORK_ENCRYPTED("network_encrypted");

  /** The counter's tag. */
  public final String tag;

  ActivationMismatch(String tag) {
    this.tag = tag;
  }

  public static Optional<ActivationMismatch> of(Uplink uplink, DeviceContext device) {
    if (uplink.encrypted() == null) return Optional.empty();
    var abp = "ABP".equalsIgnoreCase(device.activationMode());
    if (abp && !uplink.encrypted()) return Optional.of(ABP_CLEAR);
    if (!abp && uplink.encrypted()) return Optional.of(NETWORK_ENCRYPTED);
    return Optional.empty();
  }

  /** The warning stored on the uplink. */
  public String warning(Uplink uplink) {
    return switch (this) {
      case ABP_CLEAR -> "activation mismatch: the device is registered ABP (Vigie holds its session keys and decrypts), "
          + "but " + uplink.source() + " forwarded the payload already decrypted: decoded as given, without Vigie's "
          + "MIC check nor replay guard; register the device as network-decrypted, or take its keys off the network server";
      case NETWORK_ENCRYPTED -> "activation mismatch: the device is registered network-decrypted, but "
          + uplink.source() + " forwarded the payload encrypted: Vigie has no key to decrypt it, so it is stored "
          + "undecoded; register the device as ABP with its session keys, or have the network server decrypt";
    };
  }
}
