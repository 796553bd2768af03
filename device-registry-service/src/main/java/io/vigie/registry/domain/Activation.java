package io.vigie.registry.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.lorawan.SessionKeys;
import java.util.Locale;
import java.util.Objects;

/**
 * How a device's payloads are decrypted: {@link Device#ABP} with its DevAddr and session keys (Vigie decrypts),
 * or {@link Device#NETWORK_DECRYPTED} (the network server does).
 *
 * @param devAddr 8 lower-case hex digits for ABP, else null
 * @param keys    the session keys for ABP, else null
 */
public record Activation(String mode, String devAddr, SessionKeys keys) {
  private static final Activation NETWORK = new Activation(Device.NETWORK_DECRYPTED, null, null);

  public Activation {
    Objects.requireNonNull(mode);
    if (Device.ABP.equals(mode) && (devAddr == null || keys == null)) {
      throw new IllegalArgumentException("ABP needs devAddr, appSKey and nwkSKey");
    }
  }

  public static Activation networkDecrypted() {
    return NETWORK;
  }

  public boolean abp() {
    return Device.ABP.equals(mode);
  }

  /**
   * Reads {@code {"mode":"network-decrypted"}} or {@code {"mode":"ABP","devAddr","appSKey","nwkSKey"}} (hex in any
   * case); {@link IllegalArgumentException} naming the bad field, never echoing a key.
   */
  public static Activation parse(Object mode, Object devAddr, Object appSKey, Object nwkSKey) {
    var wire = mode instanceof String s ? s.trim() : null;
    if (wire != null && Device.NETWORK_DECRYPTED.equals(wire.toLowerCase(Locale.ROOT))) {
      if (present(devAddr) || present(appSKey) || present(nwkSKey)) {
        throw new IllegalArgumentException("a network-decrypted device has no devAddr nor session keys");
      }
      return NETWORK;
    }
    if (wire != null && Device.ABP.equalsIgnoreCase(wire)) {
      var address = Ids.devAddr(text(devAddr, "devAddr"));
      return new Activation(Device.ABP, address, SessionKeys.fromHex(address,
          Ids.sessionKey("appSKey", text(appSKey, "appSKey")), Ids.sessionKey("nwkSKey", text(nwkSKey, "nwkSKey"))));
    }
    throw new IllegalArgumentException("activation mode must be ABP or network-decrypted");
  }

  public static Activation parse(JsonObject json) {
    if (json == null) throw new IllegalArgumentException("activation is required: {\"mode\":\"ABP\"|\"network-decrypted\"}");
    return parse(json.getValue("mode"), json.getValue("devAddr"), json.getValue("appSKey"), json.getValue("nwkSKey"));
  }

  private static boolean present(Object value) {
    return value != null && !(value instanceof String s && s.isBlank());
  }

  private static String text(Object value, String field) {
    if (value != null && !(value instanceof String)) throw new IllegalArgumentException(field + " must be a string");
    return (String) value;
  }

  @Override
  public String toString() {
    return "Activation[" + mode + (devAddr == null ? "" : ", devAddr=" + devAddr) + "]";
  }
}
