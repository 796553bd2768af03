package io.vigie.gateway.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.gateway.adapter.InvalidUplinkException;
import io.vigie.gateway.adapter.SemtechUdp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing of the Semtech packet-forwarder parser (docs/fuzzing.md): a datagram as a gateway sends it,
 * read the way {@link UdpIngestVerticle} reads it without the socket and the pipeline — the header, the PUSH_DATA's
 * JSON, its {@code stat} into the gateway status, each {@code rxpk} to a received frame (PHYPayload included) and
 * the canonical uplink. The contract: every part is either read or refused with an {@link InvalidUplinkException}
 * (whose reason is a drop counter's tag); anything else thrown is a crash. In the suite the seeds of {@code
 * SemtechUdpFuzzTestInputs/datagram/} and any crash file found there run; {@code bench/fuzz} fuzzes.
 */
class SemtechUdpFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");
  private final GatewayStatusStore gateways = new GatewayStatusStore(Clock.fixed(NOW, ZoneOffset.UTC));

  @FuzzTest
  @DictionaryFile(resourcePath = "semtech-udp.dict")
  void datagram(byte[] bytes) {
    var datagram = Buffer.buffer(bytes);
    SemtechUdp.Header header;
    try {
      header = SemtechUdp.header(datagram);
    } catch (InvalidUplinkException refused) {
      assertThat(refused.reason()).isNotBlank();
      return;
    }
    assertThat(header.gatewayEui()).hasSize(16);
    assertThat(SemtechUdp.ack(header, SemtechUdp.PUSH_ACK).length()).isEqualTo(4);
    if (header.identifier() != SemtechUdp.PUSH_DATA) return;
    JsonObject json;
    try {
      json = SemtechUdp.pushData(datagram);
    } catch (InvalidUplinkException refused) {
      assertThat(refused.reason()).isNotBlank();
      return;
    }
    if (json.getValue("stat") instanceof JsonObject stat) gateways.stat(header.gatewayEui(), stat);
    var rxpk = json.getValue("rxpk") instanceof JsonArray array ? array : new JsonArray();
    gateways.pushed(header.gatewayEui(), rxpk.size());
    for (int i = 0; i < rxpk.size(); i++) {
      if (!(rxpk.getValue(i) instanceof JsonObject packet)) continue;
      try {
        var received = SemtechUdp.received(packet, header.gatewayEui(), NOW, "rxpk[" + i + "]");
        var uplink = received.toUplink("0004a30b001c0530");
        assertThat(uplink.toJson().encode()).contains(uplink.devAddr());
      } catch (InvalidUplinkException refused) {
        assertThat(refused.reason()).isNotBlank();
      }
    }
    assertThat(gateways.toJson().encode()).contains(header.gatewayEui());
  }
}
