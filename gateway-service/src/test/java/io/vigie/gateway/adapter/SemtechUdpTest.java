package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.Fixtures;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemtechUdpTest {
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private static final String EUI = "b827ebfffe000001";

  private static Buffer datagram(String hexHeader, String json) {
    var buffer = Buffer.buffer(HexFormat.of().parseHex(hexHeader));
    return json == null ? buffer : buffer.appendString(json);
  }

  private static JsonObject rxpk() {
    return Fixtures.json("semtech-udp-push-data.json").getJsonArray("rxpk").getJsonObject(0);
  }

  @Test
  @DisplayName("a PUSH_DATA header gives version, token and gateway EUI; its ack echoes version and token")
  void pushDataHeader() {
    var data = datagram("02a1b200" + EUI, Fixtures.text("semtech-udp-push-data.json"));

    var header = SemtechUdp.header(data);

    assertThat(header).isEqualTo(new SemtechUdp.Header(2, 0xa1b2, SemtechUdp.PUSH_DATA, EUI));
    assertThat(SemtechUdp.pushData(data).getJsonArray("rxpk")).hasSize(1);
    assertThat(SemtechUdp.ack(header, SemtechUdp.PUSH_ACK).getBytes()).containsExactly(0x02, 0xa1, 0xb2, 0x01);
  }

  @Test
  @DisplayName("an rxpk becomes an encrypted uplink with the whole frame, the 16-bit counter and the gateway's radio data")
  void rxpkToUplink() {
    var received = SemtechUdp.received(rxpk(), EUI, NOW, "rxpk[0]");

    assertThat(received.frame().devAddrHex()).isEqualTo("2685d0c1");
    assertThat(received.toUplink("0101010101010101")).isEqualTo(new Uplink("0101010101010101", 62813, 79, "1f2ae6dd", true,
        "2685d0c1", Instant.parse("2026-11-29T09:16:55.911Z"), "semtech-udp",
        List.of(new RxInfo(EUI, -35.0, 5.1)), "40c1d08526805df54f1f2ae6dd9471f92e",
        new TxInfo(866_349_812L, null, 7, 125_000, "4/5", true, false)));
  }

  @Test
  @DisplayName("datr, freq and codr give spreading factor, bandwidth, frequency in Hz and coding rate; confirmed comes from the MHDR")
  void radioSettings() {
    var item = rxpk().put("datr", "SF12BW500").put("freq", "868.5").put("codr", "4/6");
    var confirmed = Base64.getDecoder().decode(item.getString("data"));
    confirmed[0] = (byte) 0x80; // ConfirmedDataUp
    item.put("data", Base64.getEncoder().encodeToString(confirmed));

    assertThat(SemtechUdp.received(item, EUI, NOW, "rxpk[0]").tx())
        .isEqualTo(new TxInfo(868_500_000L, null, 12, 500_000, "4/6", true, true));
  }

  @Test
  @DisplayName("an FSK packet (datr in bits/s) has no spreading factor nor bandwidth")
  void fskDatr() {
    var tx = SemtechUdp.received(rxpk().put("datr", 50000).put("modu", "FSK"), EUI, NOW, "rxpk[0]").tx();

    assertThat(tx.spreadingFactor()).isNull();
    assertThat(tx.bandwidthHz()).isNull();
    assertThat(tx.frequencyHz()).isEqualTo(866_349_812L);
  }

  @Test
  @DisplayName("without a usable time the reception moment is used; rsig[] gives the signal of newer boards")
  void timeAndRsig() {
    var item = rxpk().put("time", "not a time");
    item.remove("rssi");
    item.remove("lsnr");
    item.put("rsig", new JsonArray().add(new JsonObject().put("ant", 0).put("rssic", -101).put("lsnr", -7.25)));

    var received = SemtechUdp.received(item, EUI, NOW, "rxpk[0]");

    assertThat(received.time()).isEqualTo(NOW);
    assertThat(received.rx()).isEqualTo(new RxInfo(EUI, -101.0, -7.25));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty,                         '',                       truncated",
      "three bytes,                   02a1b2,                   truncated",
      "version 3,                     03a1b200" + EUI + ",      bad_version",
      "PUSH_DATA without EUI,         02a1b200b827eb,           truncated",
      "a PUSH_ACK sent to us,         02a1b201,                 unexpected_identifier",
      "a PULL_RESP sent to us,        02a1b203,                 unexpected_identifier",
      "unknown identifier,            02a1b2ff,                 unexpected_identifier"})
  @DisplayName("truncated or foreign datagrams are refused with the drop reason")
  void badHeaders(String name, String hex, String reason) {
    var data = datagram(hex.trim(), null);

    assertThatThrownBy(() -> SemtechUdp.header(data)).isInstanceOf(InvalidUplinkException.class)
        .extracting(e -> ((InvalidUplinkException) e).reason()).isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no JSON after the EUI         | ''                  | the body is empty",
      "JSON cut short                | {\"rxpk\":[{\"data\" | the body is not valid JSON",
      "a JSON array                  | [1,2]               | the body must be a JSON object"})
  @DisplayName("a PUSH_DATA whose JSON is missing or broken is refused")
  void badPushData(String name, String json, String message) {
    var data = datagram("02a1b200" + EUI, json);

    assertThatThrownBy(() -> SemtechUdp.pushData(data)).isInstanceOf(InvalidUplinkException.class).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "CRC bad                | stat  | -1            | crc_bad",
      "no CRC                 | stat  | 0             | crc_bad",
      "data not base64        | data  | '%%%'         | bad_base64",
      "data too short a frame | data  | 'QMHQhSY='    | truncated_frame",
      "rssi a word            | rssi  | 'loud'        | malformed"})
  @DisplayName("a bad packet in rxpk is refused with the drop reason")
  void badRxpk(String name, String field, String value, String reason) {
    var item = rxpk();
    item.put(field, field.equals("stat") ? (Object) Integer.parseInt(value) : value);

    assertThatThrownBy(() -> SemtechUdp.received(item, EUI, NOW, "rxpk[0]")).isInstanceOf(InvalidUplinkException.class)
        .extracting(e -> ((InvalidUplinkException) e).reason()).isEqualTo(reason);
  }
}
