package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.Uplink;
import java.util.HexFormat;
import java.util.List;

/**
 * Decodes one uplink with its device's codec into a {@link Measurement}. Never throws and never
 * drops the uplink: whatever cannot be decoded is recorded in {@code errors}, and the raw payload
 * is kept in {@code decoded} as {@code {"payloadHex": …}} so it can be decoded again later.
 */
public final class UplinkDecoder {
  public static final String JAVASCRIPT_NOT_YET = "javascript codecs arrive with issue 5";

  public Measurement decode(Uplink uplink, DeviceContext device) {
    var codec = device.codecKind();
    if (isEncrypted(uplink, device)) {
      return undecoded(uplink, "ABP".equalsIgnoreCase(device.activationMode())
          ? "the payload is still encrypted with the AppSKey; decryption by Vigie (ABP devices) is not available yet"
          : "the network server forwarded the payload encrypted, but the device is declared network-decrypted");
    }
    if (uplink.fPort() != null && uplink.fPort() == 0 && !uplink.payloadHex().isEmpty()) {
      return undecoded(uplink, "fPort 0 carries MAC commands, not application data");
    }
    try {
      return switch (codec) {
        case "none" -> Measurement.decoded(uplink, new JsonObject(), List.of(), List.of());
        case CayenneLppCodec.KIND -> lpp(uplink, device);
        case "javascript" -> undecoded(uplink, JAVASCRIPT_NOT_YET);
        default -> undecoded(uplink, "unknown codec kind '" + codec + "'");
      };
    } catch (RuntimeException e) {
      return undecoded(uplink, codec + ": internal decoder error (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Measurement lpp(Uplink uplink, DeviceContext device) {
    byte[] payload;
    try {
      payload = HexFormat.of().parseHex(uplink.payloadHex());
    } catch (IllegalArgumentException e) {
      return undecoded(uplink, "payloadHex is not hex");
    }
    try {
      var decoding = CayenneLppCodec.decode(payload, mapping(device));
      return Measurement.decoded(uplink, decoding.decoded(), decoding.measurements(), decoding.errors());
    } catch (CodecException e) {
      return undecoded(uplink, CayenneLppCodec.KIND + ": " + e.getMessage());
    }
  }

  /**
   * The source says whether it decrypted; when it does not say, an ABP device's payload (Vigie
   * holds its keys, so the network server cannot decrypt) is taken as encrypted.
   */
  static boolean isEncrypted(Uplink uplink, DeviceContext device) {
    if (uplink.encrypted() != null) return uplink.encrypted();
    return "ABP".equalsIgnoreCase(device.activationMode());
  }

  private static JsonObject mapping(DeviceContext device) {
    var type = device.deviceType();
    return type != null && type.getValue("measurements") instanceof JsonObject mapping ? mapping : null;
  }

  private static Measurement undecoded(Uplink uplink, String error) {
    var decoded = uplink.payloadHex().isEmpty() ? new JsonObject() : new JsonObject().put("payloadHex", uplink.payloadHex());
    return Measurement.decoded(uplink, decoded, List.of(), List.of(error));
  }
}
