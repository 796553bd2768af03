package io.vigie.simulator.sender;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.Frame;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The Things Stack v3 {@code ApplicationUp} uplink messages (webhook body; the MQTT server and Pub/Sub publish the
 * same JSON) for a device with "skip payload crypto": {@code frm_payload} still encrypted, and the wrapped
 * {@code app_s_key} present, which is how TTS says so. The wrapped key here is a placeholder, never the real key.
 * Zero fields are left out, as TTS does.
 */
public final class TtsUplinks {
  public static final String APPLICATION_ID = "cold-chain";
  public static final String TENANT_ID = "ttn";
  /** Not a key: TTS wraps the AppSKey with a KEK; Vigie ignores it and uses the registry's. */
  private static final String WRAPPED_KEY_PLACEHOLDER = Base64.getEncoder()
      .encodeToString("simulated wrapped key, not a key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private TtsUplinks() {}

  /** The TTS device id of a probe. */
  public static String deviceId(Frame frame) {
    return "probe-" + frame.devEui();
  }

  public static JsonObject up(Frame frame) {
    var time = frame.time().toString();
    var message = new JsonObject()
        .put("session_key_id", Base64.getEncoder().encodeToString(frame.devAddrHex().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .put("f_port", frame.fPort())
        .put("frm_payload", Base64.getEncoder().encodeToString(frame.frmPayload()))
        .put("rx_metadata", rxMetadata(frame, time))
        .put("settings", new JsonObject()
            .put("data_rate", new JsonObject().put("lora", new JsonObject().put("bandwidth", 125_000)
                .put("spreading_factor", 7).put("coding_rate", "4/5")))
            .put("frequency", "868100000"))
        .put("received_at", time)
        .put("app_s_key", new JsonObject().put("encrypted_key", WRAPPED_KEY_PLACEHOLDER).put("kek_label", "as:simulator"))
        .put("consumed_airtime", "0.061696s")
        .put("network_ids", new JsonObject().put("net_id", "000013").put("tenant_id", TENANT_ID).put("cluster_id", "eu1"));
    if (frame.fCnt() != 0) message.put("f_cnt", frame.fCnt());
    return new JsonObject()
        .put("end_device_ids", new JsonObject()
            .put("device_id", deviceId(frame))
            .put("application_ids", new JsonObject().put("application_id", APPLICATION_ID))
            .put("dev_eui", frame.devEui().toUpperCase(Locale.ROOT))
            .put("dev_addr", frame.devAddrHex().toUpperCase(Locale.ROOT)))
        .put("correlation_ids", new JsonArray().add("as:up:" + UUID.randomUUID()))
        .put("received_at", time)
        .put("uplink_message", message);
  }

  private static JsonArray rxMetadata(Frame frame, String time) {
    var array = new JsonArray();
    for (var rx : frame.receptions()) {
      array.add(new JsonObject()
          .put("gateway_ids", new JsonObject().put("gateway_id", "eui-" + rx.gatewayEui())
              .put("eui", rx.gatewayEui().toUpperCase(Locale.ROOT)))
          .put("time", time)
          .put("rssi", (int) rx.rssi()).put("channel_rssi", (int) rx.rssi())
          .put("snr", rx.snr()));
    }
    return array;
  }
}
