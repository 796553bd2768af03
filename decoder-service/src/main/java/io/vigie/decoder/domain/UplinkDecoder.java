package io.vigie.decoder.domain;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.DeviceContext;
import io.vigie.decoder.codec.JavaScriptCodecs;
import io.vigie.decoder.codec.VendorFields;
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
  public static final String JAVASCRIPT = "javascript";
  private final JavaScriptCodecs javascript;

  /** @param javascript the JavaScript codec runner, or null where JavaScript codecs are not run */
  public UplinkDecoder(JavaScriptCodecs javascript) {
    this.javascript = javascript;
  }

  /** A decoder for the built-in codecs only. */
  public UplinkDecoder() {
    this(null);
  }

  /** Whether decoding this device's uplinks runs a script: then it must happen on a worker thread. */
  public static boolean blocking(DeviceContext device) {
    return JAVASCRIPT.equals(device.codecKind());
  }

  public Measurement decode(Uplink uplink, DeviceContext device) {
    var codec = device.codecKind();
    if (isEncrypted(uplink, device)) {
      return undecoded(uplink, "ABP".equalsIgnoreCase(device.activationMode())
          ? "the payload is still encrypted with the AppSKey (it was not decrypted)"
          : "the source forwarded the payload encrypted, but the device is declared network-decrypted: "
              + "register it as ABP with its session keys, or have the network server decrypt");
    }
    if (uplink.fPort() != null && uplink.fPort() == 0 && !uplink.payloadHex().isEmpty()) {
      return undecoded(uplink, "fPort 0 carries MAC commands, not application data");
    }
    try {
      return switch (codec) {
        case "none" -> Measurement.decoded(uplink, new JsonObject(), List.of(), List.of());
        case CayenneLppCodec.KIND -> lpp(uplink, device);
        case JAVASCRIPT -> javascript(uplink, device);
        default -> undecoded(uplink, "unknown codec kind '" + codec + "'");
      };
    } catch (RuntimeException e) {
      return undecoded(uplink, codec + ": internal decoder error (" + e.getClass().getSimpleName() + ")");
    }
  }

  private Measurement javascript(Uplink uplink, DeviceContext device) {
    if (javascript == null) return undecoded(uplink, "javascript codecs are not enabled in this decoder");
    var codec = device.deviceType().getJsonObject("codec");
    var script = codec.getString("script");
    if (script == null || script.isBlank()) return undecoded(uplink, "javascript: the device type has no script");
    byte[] payload;
    try {
      payload = HexFormat.of().parseHex(uplink.payloadHex());
    } catch (IllegalArgumentException e) {
      return undecoded(uplink, "payloadHex is not hex");
    }
    var result = javascript.decode(script, uplink.fPort() == null ? 0 : uplink.fPort(), payload, uplink.receivedAt(),
        codec.getJsonObject("variables"));
    if (result.failed()) {
      return undecoded(uplink, result.errors().stream().map(e -> "javascript: " + e).toList()).withWarnings(result.warnings());
    }
    var standard = VendorFields.standardise(result.data(), mapping(device));
    var errors = new java.util.ArrayList<>(result.errors());
    errors.addAll(standard.errors());
    var warnings = new java.util.ArrayList<>(result.warnings());
    warnings.addAll(standard.warnings());
    return Measurement.decoded(uplink, result.data(), standard.measurements(), errors).withWarnings(warnings);
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
   * The source says whether it decrypted; when it does not say, the payload is taken as encrypted for an ABP
   * device (Vigie holds its keys, so the network server cannot decrypt) and when the source gives the whole frame
   * (a raw frame is encrypted).
   */
  public static boolean isEncrypted(Uplink uplink, DeviceContext device) {
    if (uplink.encrypted() != null) return uplink.encrypted();
    return "ABP".equalsIgnoreCase(device.activationMode()) || uplink.phyPayloadHex() != null;
  }

  private static JsonObject mapping(DeviceContext device) {
    var type = device.deviceType();
    return type != null && type.getValue("measurements") instanceof JsonObject mapping ? mapping : null;
  }

  /** The uplink kept undecoded: its raw payload in {@code decoded} and the reason in {@code errors}. */
  public static Measurement undecoded(Uplink uplink, String error) {
    return undecoded(uplink, List.of(error));
  }

  private static Measurement undecoded(Uplink uplink, List<String> errors) {
    var decoded = uplink.payloadHex().isEmpty() ? new JsonObject() : new JsonObject().put("payloadHex", uplink.payloadHex());
    return Measurement.decoded(uplink, decoded, List.of(), errors);
  }
}
