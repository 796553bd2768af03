package io.vigie.simulator.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.FleetOptions;
import io.vigie.simulator.Frame;
import io.vigie.simulator.FridgeModel;
import io.vigie.simulator.Probe;
import io.vigie.simulator.Silence;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What each network server and gateway sends")
class UplinkBodiesTest {
  static final List<Frame.Reception> TWO = List.of(new Frame.Reception("b827ebfffe000001", -71, 7.5),
      new Frame.Reception("b827ebfffe000002", -98, -2.25));
  static final Instant TIME = Instant.parse("2026-11-29T09:16:55.911Z");

  static Probe probe(long firstFCnt) {
    return new Probe("70b3d57ed000002a", "Fridge 42 probe, Lyon", "site-lyon", "site-lyon-fridge-42", 0x2600002a,
        new byte[16], new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, new FridgeModel(4, false, 1),
        Silence.never(), firstFCnt);
  }

  @Test
  @DisplayName("ChirpStack: the encrypted FRMPayload in data, joinServerContext present, zero fields left out, every gateway in rxInfo")
  void chirpStack() {
    var frame = probe(0).nextFrame(TIME, TWO);
    var body = ChirpStackUplinks.up(frame);
    assertThat(body.getJsonObject("deviceInfo").getString("devEui")).isEqualTo("70b3d57ed000002a");
    assertThat(Base64.getDecoder().decode(body.getString("data"))).isEqualTo(frame.frmPayload());
    assertThat(body.getJsonObject("joinServerContext")).isNotNull();
    assertThat(body.containsKey("fCnt")).as("fCnt 0 left out, as protobuf JSON does").isFalse();
    assertThat(body.getInteger("fPort")).isEqualTo(1);
    assertThat(body.getString("devAddr")).isEqualTo("2600002a");
    assertThat(body.getString("time")).isEqualTo("2026-11-29T09:16:55.911Z");
    assertThat(body.getJsonArray("rxInfo")).hasSize(2);
    assertThat(body.getJsonArray("rxInfo").getJsonObject(1).getMap()).containsEntry("gatewayId", "b827ebfffe000002")
        .containsEntry("rssi", -98).containsEntry("snr", -2.25);
    var next = ChirpStackUplinks.up(probe(70_000).nextFrame(TIME, TWO));
    assertThat(next.getLong("fCnt")).as("the 32-bit counter").isEqualTo(70_000);
  }

  @Test
  @DisplayName("The Things Stack: frm_payload encrypted and app_s_key present (skip payload crypto), without the real key")
  void tts() {
    var frame = probe(3).nextFrame(TIME, TWO);
    var body = TtsUplinks.up(frame);
    var ids = body.getJsonObject("end_device_ids");
    assertThat(ids.getString("dev_eui")).isEqualTo("70B3D57ED000002A");
    assertThat(ids.getString("dev_addr")).isEqualTo("2600002A");
    var message = body.getJsonObject("uplink_message");
    assertThat(message.getLong("f_cnt")).isEqualTo(3);
    assertThat(message.getInteger("f_port")).isEqualTo(1);
    assertThat(Base64.getDecoder().decode(message.getString("frm_payload"))).isEqualTo(frame.frmPayload());
    assertThat(message.getJsonObject("app_s_key").getString("encrypted_key")).isNotBlank();
    assertThat(body.encode()).doesNotContain("0102030405060708").doesNotContain(Base64.getEncoder().encodeToString(new byte[16]));
    assertThat(message.getJsonArray("rx_metadata").getJsonObject(0).getJsonObject("gateway_ids").getString("eui"))
        .isEqualTo("B827EBFFFE000001");
    assertThat(TtsUplinks.up(probe(0).nextFrame(TIME, TWO)).getJsonObject("uplink_message").containsKey("f_cnt")).isFalse();
  }

  @Test
  @DisplayName("ThingPark: payload_hex encrypted, every base station in Lrrs, numbers as strings on odd counters")
  void thingPark() {
    var probe = probe(368);
    var even = ThingParkUplinks.up(probe.nextFrame(TIME, TWO)).getJsonObject("DevEUI_uplink");
    assertThat(even.getValue("FCntUp")).isEqualTo(368L);
    assertThat(even.getString("DevEUI")).isEqualTo("70B3D57ED000002A");
    assertThat(even.getString("Time")).isEqualTo("2026-11-29T09:16:55.911+00:00");
    assertThat(even.getJsonObject("Lrrs").getJsonArray("Lrr")).hasSize(2);
    assertThat(even.getJsonObject("Lrrs").getJsonArray("Lrr").getJsonObject(0).getString("Lrrid")).isEqualTo("FE000001");
    var frame = probe.nextFrame(TIME, TWO);
    var odd = ThingParkUplinks.up(frame).getJsonObject("DevEUI_uplink");
    assertThat(odd.getValue("FCntUp")).isEqualTo("369");
    assertThat(odd.getValue("LrrRSSI")).isEqualTo("-71.000000");
    assertThat(HexFormat.of().parseHex(odd.getString("payload_hex"))).isEqualTo(frame.frmPayload());
  }

  @Test
  @DisplayName("Semtech UDP: a PUSH_DATA per gateway, version 2, the gateway's EUI, rxpk data = the whole PHYPayload")
  void semtech() {
    var frame = probe(1).nextFrame(TIME, TWO);
    var datagram = SemtechPackets.pushData(0xbeef, frame, TWO.get(1));
    assertThat(datagram.getUnsignedByte(0)).isEqualTo((short) 2);
    assertThat(datagram.getUnsignedShort(1)).isEqualTo(0xbeef);
    assertThat(datagram.getUnsignedByte(3)).isEqualTo((short) SemtechPackets.PUSH_DATA);
    assertThat(HexFormat.of().formatHex(datagram.getBytes(4, 12))).isEqualTo("b827ebfffe000002");
    var rxpk = new JsonObject(datagram.slice(12, datagram.length())).getJsonArray("rxpk").getJsonObject(0);
    assertThat(Base64.getDecoder().decode(rxpk.getString("data"))).isEqualTo(frame.phyPayload());
    assertThat(rxpk.getInteger("stat")).isEqualTo(1);
    assertThat(rxpk.getInteger("size")).isEqualTo(frame.phyPayload().length);
    assertThat(rxpk.getInteger("rssi")).isEqualTo(-98);
    assertThat(rxpk.getDouble("lsnr")).isEqualTo(-2.25);
    assertThat(rxpk.getString("time")).isEqualTo("2026-11-29T09:16:55.911000Z");
    var ack = Buffer.buffer().appendUnsignedByte((short) 2).appendUnsignedShort(0xbeef).appendUnsignedByte((short) 1);
    assertThat(SemtechPackets.ackToken(ack, SemtechPackets.PUSH_ACK)).isEqualTo(0xbeef);
    assertThat(SemtechPackets.ackToken(ack, SemtechPackets.PULL_ACK)).isEqualTo(-1);
    assertThat(FleetOptions.clockFCnt()).isGreaterThan(50_000_000L);
  }
}
