package io.vigie.gateway.adapter;

import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Things Stack v3 {@code ApplicationUp} messages (webhook "Uplink message" body; the MQTT server publishes
 * the same JSON on {@code v3/<app>[@<tenant>]/devices/<device>/up}) → the canonical {@link Uplink}.
 *
 * <p>Like ChirpStack, The Things Stack leaves out every field whose value is 0, false or empty, so an absent
 * {@code f_cnt}, {@code f_port}, {@code rssi} or {@code snr} is 0. When payload crypto is skipped for the device
 * ("Skip payload encryption and decryption"), the Application Server forwards {@code frm_payload} still encrypted
 * with the AppSKey and says so by adding {@code app_s_key} (the key, wrapped) to the message: that presence, not
 * the absence of {@code decoded_payload} (also absent when no payload formatter is set), marks the payload
 * encrypted. The wrapped key is ignored: Vigie uses the AppSKey registered with the device.
 */
public final class TtsV3 implements WebhookProvider {
  public static final String SOURCE = "tts-v3";
  public static final String PATH = "/uplinks/ttn";

  /** The other {@code ApplicationUp} messages a webhook or the MQTT server may deliver: accepted and ignored. */
  private static final List<String> OTHER_EVENTS = List.of("uplink_normalized", "join_accept", "downlink_ack",
      "downlink_nack", "downlink_sent", "downlink_failed", "downlink_queued", "downlink_queue_invalidated",
      "location_solved", "service_data");

  private final Clock clock;

  public TtsV3(Clock clock) {
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
    return "this endpoint reads JSON: set the webhook format to JSON";
  }

  @Override
  public Incoming read(JsonObject body) {
    var message = JsonFields.optionalObject(body, "uplink_message", "uplink_message");
    if (message == null) {
      for (var event : OTHER_EVENTS) {
        if (body.getValue(event) != null) return new Incoming.Ignored(event);
      }
      throw new InvalidUplinkException("uplink_message is missing (expected a The Things Stack uplink message)");
    }
    var ids = JsonFields.requiredObject(body, "end_device_ids", "end_device_ids");
    if (ids.getValue("dev_eui") == null) {
      throw JsonFields.invalid("end_device_ids.dev_eui", "is missing (Vigie identifies devices by DevEUI: set one on the device)");
    }
    var devEui = JsonFields.devEui(ids, "dev_eui", "end_device_ids.dev_eui");
    var devAddr = JsonFields.optionalHex(ids, "dev_addr", "end_device_ids.dev_addr", 4);
    var fCnt = JsonFields.unsigned32(message, "f_cnt", "uplink_message.f_cnt", 0);
    var fPort = (int) JsonFields.unsigned(message, "f_port", "uplink_message.f_port", 255, 0);
    var payloadHex = JsonFields.base64AsHex(message, "frm_payload", "uplink_message.frm_payload");
    var encrypted = message.getValue("app_s_key") != null;
    var time = JsonFields.optionalTime(message, "received_at", "uplink_message.received_at");
    if (time == null) time = JsonFields.optionalTime(body, "received_at", "received_at");
    return new Incoming.Up(new Uplink(devEui, fCnt, fPort, payloadHex, encrypted, devAddr,
        time != null ? time : clock.instant(), SOURCE, rxMetadata(message), null, settings(message)));
  }

  /**
   * {@code settings}: {@code frequency} (Hz, a string), {@code data_rate.lora} ({@code spreading_factor},
   * {@code bandwidth} in Hz, {@code coding_rate} there in recent versions, beside {@code data_rate} in older ones),
   * {@code data_rate_index} when given; {@code confirmed} of the message (absent: false). The Things Stack does not
   * report the ADR bit to applications.
   */
  private static TxInfo settings(JsonObject message) {
    var settings = message.getValue("settings") instanceof JsonObject o ? o : new JsonObject();
    var dataRate = settings.getValue("data_rate") instanceof JsonObject d ? d : new JsonObject();
    var lora = dataRate.getValue("lora") instanceof JsonObject l ? l : new JsonObject();
    var codingRate = lora.getValue("coding_rate") != null ? lora.getValue("coding_rate") : settings.getValue("coding_rate");
    var confirmed = message.getValue("confirmed") == null ? Boolean.FALSE : RadioFields.flag(message.getValue("confirmed"));
    return new TxInfo(RadioFields.hertz(settings.getValue("frequency")),
        RadioFields.integer(settings.getValue("data_rate_index"), 15), RadioFields.integer(lora.getValue("spreading_factor"), 12),
        RadioFields.integer(lora.getValue("bandwidth"), 1_000_000), RadioFields.codingRate(codingRate), null, confirmed);
  }

  private static List<RxInfo> rxMetadata(JsonObject message) {
    var array = JsonFields.optionalArray(message, "rx_metadata", "uplink_message.rx_metadata");
    var rx = new ArrayList<RxInfo>(array.size());
    for (int i = 0; i < array.size(); i++) {
      var path = "uplink_message.rx_metadata[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) throw JsonFields.invalid(path, "must be an object");
      var rssi = JsonFields.optionalNumber(item, "rssi", path + ".rssi");
      if (rssi == null) rssi = JsonFields.optionalNumber(item, "channel_rssi", path + ".channel_rssi");
      var snr = JsonFields.optionalNumber(item, "snr", path + ".snr");
      rx.add(new RxInfo(gatewayId(item, path), rssi != null ? rssi : 0.0, snr != null ? snr : 0.0));
    }
    return rx;
  }

  /** The gateway EUI when known (also behind Packet Broker), else The Things Stack's gateway id. */
  private static String gatewayId(JsonObject item, String path) {
    var ids = JsonFields.requiredObject(item, "gateway_ids", path + ".gateway_ids");
    var eui = JsonFields.optionalHex(ids, "eui", path + ".gateway_ids.eui", 8);
    if (eui != null) return eui;
    var broker = JsonFields.optionalObject(item, "packet_broker", path + ".packet_broker");
    if (broker != null) {
      var forwarder = JsonFields.optionalHex(broker, "forwarder_gateway_eui", path + ".packet_broker.forwarder_gateway_eui", 8);
      if (forwarder != null) return forwarder;
    }
    var id = JsonFields.optionalString(ids, "gateway_id", path + ".gateway_ids.gateway_id");
    if (id == null || id.isBlank()) throw JsonFields.invalid(path + ".gateway_ids", "has neither eui nor gateway_id");
    return id.toLowerCase(Locale.ROOT);
  }
}
