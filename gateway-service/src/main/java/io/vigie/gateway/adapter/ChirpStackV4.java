package io.vigie.gateway.adapter;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * ChirpStack v4 integration events (HTTP integration with the JSON encoding; the MQTT integration
 * publishes the same JSON) → the canonical {@link Uplink}.
 *
 * <p>ChirpStack serialises its protobuf {@code UplinkEvent} with the protobuf-JSON rules: field
 * names in lowerCamelCase, and every field whose value is the default (0, false, empty) left out.
 * So an absent {@code fCnt} is 0 and an absent {@code fPort} is 0. A frame without any FPort (an
 * empty frame) also arrives without {@code fPort}: the two cannot be told apart from this body,
 * and both become fPort 0 with an empty payload. Likewise an absent {@code rssi} or {@code snr}
 * in an {@code rxInfo} entry is 0.
 */
public final class ChirpStackV4 implements WebhookProvider {
  public static final String SOURCE = "chirpstack-v4";
  public static final String PATH = "/uplinks/chirpstack";

  /** The {@code ?event=} values ChirpStack v4 posts; only {@code up} carries an uplink. */
  public static final Set<String> EVENTS = Set.of("up", "join", "ack", "txack", "log", "status", "location", "integration");

  /** What {@link #uplink} reads: the rest (names, tags, ids, gateway metadata and context) is skipped, not built. */
  private static final JsonShape SHAPE = JsonShape.of(
      "deviceInfo", JsonShape.fields("devEui"),
      "rxInfo", JsonShape.fields("gatewayId", "rssi", "snr"),
      "txInfo", JsonShape.of("frequency", JsonShape.WHOLE,
          "modulation", JsonShape.of("lora", JsonShape.fields("spreadingFactor", "bandwidth", "codeRate"))),
      "fCnt", JsonShape.WHOLE, "fPort", JsonShape.WHOLE, "data", JsonShape.WHOLE, "devAddr", JsonShape.WHOLE,
      "time", JsonShape.WHOLE, "joinServerContext", JsonShape.WHOLE, "join_server_context", JsonShape.WHOLE,
      "dr", JsonShape.WHOLE, "adr", JsonShape.WHOLE, "confirmed", JsonShape.WHOLE);

  private final Clock clock;

  public ChirpStackV4(Clock clock) {
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
    return "this endpoint reads the JSON encoding: set the ChirpStack HTTP integration's payload encoding to JSON";
  }

  @Override
  public JsonShape shape() {
    return SHAPE;
  }

  /** The HTTP integration names the event in {@code ?event=}: only {@code up} is read, the others are ignored. */
  @Override
  public String ignoredByQuery(Function<String, String> parameter) {
    var event = parameter.apply("event");
    if (event == null || event.isBlank()) {
      throw new InvalidUplinkException("bad_event",
          "the query parameter 'event' is missing (ChirpStack posts to ?event=up, ?event=join, …)");
    }
    if (!EVENTS.contains(event)) {
      throw new InvalidUplinkException("bad_event", "unknown ChirpStack event '" + JsonFields.abbreviate(event)
          + "', expected one of " + new TreeSet<>(EVENTS));
    }
    return "up".equals(event) ? null : event;
  }

  /** ChirpStack's MQTT topics end with {@code /event/<event>}: only {@code up} is read. */
  @Override
  public String ignoredByTopic(String topic) {
    var at = topic.lastIndexOf("/event/");
    if (at < 0) return null;
    var event = topic.substring(at + "/event/".length());
    if ("up".equals(event)) return null;
    return EVENTS.contains(event) ? event : "other"; // a metrics tag: never a free-form value
  }

  /** An {@code up} event body (the MQTT integration publishes only those on {@code …/event/up}). */
  @Override
  public Incoming read(JsonObject body) {
    return new Incoming.Up(uplink(body));
  }

  /**
   * Reads an {@code up} event.
   *
   * @throws InvalidUplinkException naming the field that is missing or malformed
   */
  public Uplink uplink(JsonObject body) {
    var deviceInfo = JsonFields.requiredObject(body, "deviceInfo", "deviceInfo");
    var devEui = JsonFields.devEui(deviceInfo, "devEui", "deviceInfo.devEui");
    var fCnt = JsonFields.unsigned32(body, "fCnt", "fCnt", 0);
    var fPort = (int) JsonFields.unsigned(body, "fPort", "fPort", 255, 0);
    var payloadHex = JsonFields.base64AsHex(body, "data", "data");
    var devAddr = JsonFields.optionalHex(body, "devAddr", "devAddr", 4);
    var time = JsonFields.optionalTime(body, "time", "time");
    // ChirpStack had no AppSKey (a join server keeps it): `data` is still encrypted.
    var encrypted = body.getValue("joinServerContext") != null || body.getValue("join_server_context") != null;
    return new Uplink(devEui, fCnt, fPort, payloadHex, encrypted, devAddr, time != null ? time : clock.instant(),
        SOURCE, rxInfo(body), null, txInfo(body));
  }

  /**
   * {@code dr}, {@code adr}, {@code confirmed} (absent: 0 and false, the protobuf defaults) and {@code txInfo}'s
   * {@code frequency} (Hz) and LoRa {@code modulation} ({@code spreadingFactor}, {@code bandwidth} in Hz,
   * {@code codeRate} {@code CR_4_5} → {@code 4/5}).
   */
  private static TxInfo txInfo(JsonObject body) {
    var tx = body.getValue("txInfo") instanceof JsonObject o ? o : new JsonObject();
    var modulation = tx.getValue("modulation") instanceof JsonObject m ? m : new JsonObject();
    var lora = modulation.getValue("lora") instanceof JsonObject l ? l : new JsonObject();
    var dr = body.getValue("dr") == null ? Integer.valueOf(0) : RadioFields.integer(body.getValue("dr"), 15);
    var adr = body.getValue("adr") == null ? Boolean.FALSE : RadioFields.flag(body.getValue("adr"));
    var confirmed = body.getValue("confirmed") == null ? Boolean.FALSE : RadioFields.flag(body.getValue("confirmed"));
    return new TxInfo(RadioFields.hertz(tx.getValue("frequency")), dr,
        RadioFields.integer(lora.getValue("spreadingFactor"), 12), RadioFields.integer(lora.getValue("bandwidth"), 1_000_000),
        RadioFields.codingRate(lora.getValue("codeRate")), adr, confirmed);
  }

  private static List<RxInfo> rxInfo(JsonObject body) {
    var array = JsonFields.optionalArray(body, "rxInfo", "rxInfo");
    var rx = new ArrayList<RxInfo>(array.size());
    for (int i = 0; i < array.size(); i++) {
      var path = "rxInfo[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) throw JsonFields.invalid(path, "must be an object");
      var gatewayId = JsonFields.requiredString(item, "gatewayId", path + ".gatewayId").toLowerCase(Locale.ROOT);
      // rssi (int32) and snr (float) are plain protobuf scalars: absent means 0, like fCnt.
      var rssi = JsonFields.optionalNumber(item, "rssi", path + ".rssi");
      var snr = JsonFields.optionalNumber(item, "snr", path + ".snr");
      rx.add(new RxInfo(gatewayId, rssi != null ? rssi : 0.0, snr != null ? snr : 0.0));
    }
    return rx;
  }
}
