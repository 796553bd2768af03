package io.vigie.gateway.adapter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Actility ThingPark tunnel-interface messages ({@code {"DevEUI_uplink": {…}}}, JSON content type) → the
 * canonical {@link Uplink}.
 *
 * <p>ThingPark versions differ: numbers may arrive as JSON numbers or as strings ({@code "FCntUp": "369"},
 * {@code "LrrRSSI": "-85.000000"}), both are read. Every base station that received the frame is listed in
 * {@code Lrrs.Lrr} (an array, or a single object in some conversions); without {@code Lrrs} the top-level
 * {@code Lrrid}/{@code LrrRSSI}/{@code LrrSNR} of the best one are used.
 *
 * <p>{@code payload_hex} is in clear when ThingPark holds the AppSKey, and still encrypted when the device uses
 * end-to-end encryption (the AppSKey stays with the application): the message does not say which, so
 * {@code encrypted} is left unknown (null) and the decoder decides from the device's activation mode.
 */
public final class ThingPark implements WebhookProvider {
  public static final String SOURCE = "thingpark";
  public static final String PATH = "/uplinks/thingpark";
  private static final String UPLINK = "DevEUI_uplink";
  /** LoRaWAN MType values as ThingPark writes them (decimal). */
  private static final int UNCONFIRMED_DATA_UP = 2;
  private static final int CONFIRMED_DATA_UP = 4;
  /** Other tunnel-interface messages, answered 204; any other {@code DevEUI_*} is counted as {@code DevEUI_other}. */
  private static final Set<String> OTHER_MESSAGES = Set.of("DevEUI_notification", "DevEUI_location",
      "DevEUI_downlink_Sent", "DevEUI_downlink_Rejected", "DevEUI_multicast_summary", "DevEUI_alarm");

  private final Clock clock;

  public ThingPark(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String adapter() {
    return SOURCE;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public String encodingHint() {
    return "this endpoint reads JSON: set the ThingPark connection's content type to JSON";
  }

  @Override
  public Incoming read(JsonObject body) {
    var up = JsonFields.optionalObject(body, UPLINK, UPLINK);
    if (up == null) {
      // DevEUI_notification, DevEUI_location, DevEUI_downlink_Sent…: other tunnel-interface messages
      var other = body.fieldNames().stream().filter(name -> name.startsWith("DevEUI_")).findFirst();
      if (other.isPresent()) return new Incoming.Ignored(OTHER_MESSAGES.contains(other.get()) ? other.get() : "DevEUI_other");
      throw new InvalidUplinkException(UPLINK + " is missing (expected a ThingPark uplink {\"DevEUI_uplink\": {…}})");
    }
    var devEui = JsonFields.devEui(up, "DevEUI", UPLINK + ".DevEUI");
    var fCnt = JsonFields.unsigned32(up, "FCntUp", UPLINK + ".FCntUp", 0);
    var fPort = (int) JsonFields.unsigned(up, "FPort", UPLINK + ".FPort", 255, 0);
    var payloadHex = JsonFields.hexBytes(up, "payload_hex", UPLINK + ".payload_hex");
    var devAddr = JsonFields.optionalHex(up, "DevAddr", UPLINK + ".DevAddr", 4);
    var time = JsonFields.optionalTime(up, "Time", UPLINK + ".Time");
    return new Incoming.Up(new Uplink(devEui, fCnt, fPort, payloadHex, null, devAddr,
        time != null ? time : clock.instant(), SOURCE, baseStations(up), null, radio(up)));
  }

  /**
   * {@code Frequency} (MHz), {@code DR}, {@code SpFact} (spreading factor), {@code ADRbit}, and {@code MType}: 4 is
   * a confirmed data uplink, 2 an unconfirmed one. ThingPark gives neither bandwidth nor coding rate. Absent or
   * unreadable values stay unknown.
   */
  private static TxInfo radio(JsonObject up) {
    var mType = RadioFields.integer(up.getValue("MType"), 7);
    Boolean confirmed = mType == null ? null : mType == CONFIRMED_DATA_UP ? Boolean.TRUE
        : mType == UNCONFIRMED_DATA_UP ? Boolean.FALSE : null;
    return new TxInfo(RadioFields.megahertz(up.getValue("Frequency")), RadioFields.integer(up.getValue("DR"), 15),
        RadioFields.integer(up.getValue("SpFact"), 12), null, null, RadioFields.flag(up.getValue("ADRbit")), confirmed);
  }

  private static List<RxInfo> baseStations(JsonObject up) {
    var lrrs = JsonFields.optionalObject(up, "Lrrs", UPLINK + ".Lrrs");
    if (lrrs == null) {
      if (up.getValue("Lrrid") == null) return List.of();
      return List.of(baseStation(up, UPLINK));
    }
    var value = lrrs.getValue("Lrr");
    JsonArray array;
    if (value == null) array = new JsonArray();
    else if (value instanceof JsonArray a) array = a;
    else if (value instanceof JsonObject single) array = new JsonArray().add(single);
    else throw JsonFields.invalid(UPLINK + ".Lrrs.Lrr", "must be an array of base stations");
    var rx = new ArrayList<RxInfo>(array.size());
    for (int i = 0; i < array.size(); i++) {
      var path = UPLINK + ".Lrrs.Lrr[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) throw JsonFields.invalid(path, "must be an object");
      rx.add(baseStation(item, path));
    }
    return rx;
  }

  private static RxInfo baseStation(JsonObject item, String path) {
    var id = item.getValue("Lrrid");
    if (id == null) throw JsonFields.invalid(path + ".Lrrid", "is missing");
    if (!(id instanceof String) && !(id instanceof Number)) throw JsonFields.invalid(path + ".Lrrid", "must be a string");
    var rssi = JsonFields.optionalNumber(item, "LrrRSSI", path + ".LrrRSSI");
    var snr = JsonFields.optionalNumber(item, "LrrSNR", path + ".LrrSNR");
    return new RxInfo(id.toString().trim().toLowerCase(Locale.ROOT), rssi, snr);
  }
}
