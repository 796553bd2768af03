package io.vigie.simulator.sender;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.Frame;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Actility ThingPark tunnel-interface uplinks ({@code {"DevEUI_uplink": {…}}}) for a device with end-to-end
 * encryption: {@code payload_hex} is the FRMPayload still encrypted (ThingPark does not say so; the platform knows
 * from the device's activation). ThingPark versions differ in writing numbers as strings: frames with an odd counter
 * are written that way ({@code "FCntUp": "369"}, {@code "LrrRSSI": "-85.000000"}).
 */
public final class ThingParkUplinks {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
      .withZone(ZoneOffset.UTC);

  private ThingParkUplinks() {}

  public static JsonObject up(Frame frame) {
    var strings = frame.fCnt() % 2 == 1;
    var hex = HexFormat.of();
    var best = frame.receptions().get(0);
    var up = new JsonObject()
        .put("Time", TIME.format(frame.time()))
        .put("DevEUI", frame.devEui().toUpperCase(Locale.ROOT))
        .put("FPort", number(frame.fPort(), strings))
        .put("FCntUp", number(frame.fCnt(), strings))
        .put("ADRbit", number(1, strings))
        .put("MType", number(2, strings))
        .put("FCntDn", number(0, strings))
        .put("payload_hex", hex.formatHex(frame.frmPayload()))
        .put("mic_hex", hex.formatHex(frame.phyPayload(), frame.phyPayload().length - 4, frame.phyPayload().length))
        .put("Lrcid", "000000CB")
        .put("LrrRSSI", decimal(best.rssi(), strings))
        .put("LrrSNR", decimal(best.snr(), strings))
        .put("SpFact", number(7, strings))
        .put("SubBand", "G1")
        .put("Channel", "LC1")
        .put("Lrrid", lrrid(best.gatewayEui()))
        .put("Late", number(0, strings))
        .put("DevLrrCnt", number(frame.receptions().size(), strings))
        .put("CustomerID", "100000001")
        .put("CustomerData", new JsonObject().put("alr", new JsonObject().put("pro", "LORA/Generic").put("ver", "1"))
            .put("name", frame.deviceName()))
        .put("DevAddr", frame.devAddrHex().toUpperCase(Locale.ROOT))
        .put("TxPower", decimal(14.0, strings))
        .put("NbTrans", number(1, strings))
        .put("Frequency", decimal(868.1, strings))
        .put("DynamicClass", "A");
    var lrrs = new JsonArray();
    for (var rx : frame.receptions()) {
      lrrs.add(new JsonObject().put("Lrrid", lrrid(rx.gatewayEui())).put("Chain", number(0, strings))
          .put("LrrRSSI", decimal(rx.rssi(), strings)).put("LrrSNR", decimal(rx.snr(), strings))
          .put("LrrESP", decimal(rx.rssi() - 0.4, strings)));
    }
    up.put("Lrrs", new JsonObject().put("Lrr", lrrs));
    return new JsonObject().put("DevEUI_uplink", up);
  }

  /** A ThingPark base-station id: 8 hex digits, here the end of the gateway EUI. */
  static String lrrid(String gatewayEui) {
    return gatewayEui.substring(gatewayEui.length() - 8).toUpperCase(Locale.ROOT);
  }

  private static Object number(long value, boolean asString) {
    return asString ? Long.toString(value) : value;
  }

  private static Object decimal(double value, boolean asString) {
    return asString ? String.format(Locale.ROOT, "%.6f", value) : value;
  }
}
