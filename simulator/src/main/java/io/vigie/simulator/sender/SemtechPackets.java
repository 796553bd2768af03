package io.vigie.simulator.sender;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.Frame;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Semtech packet-forwarder datagrams (protocol v2) as a gateway sends them:
 * {@code version(2) | token(2) | identifier | gateway EUI(8) | JSON}.
 */
public final class SemtechPackets {
  public static final int VERSION = 2;
  public static final int PUSH_DATA = 0x00;
  public static final int PUSH_ACK = 0x01;
  public static final int PULL_DATA = 0x02;
  public static final int PULL_ACK = 0x04;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  private SemtechPackets() {}

  /** A PUSH_DATA carrying one received packet: {@code rxpk[0].data} is the whole PHYPayload, base64. */
  public static Buffer pushData(int token, Frame frame, Frame.Reception rx) {
    var rxpk = new JsonObject()
        .put("time", TIME.format(frame.time()))
        .put("tmst", (frame.time().toEpochMilli() * 1000) & 0xFFFFFFFFL)
        .put("chan", 0).put("rfch", 0).put("freq", 868.1).put("stat", 1)
        .put("modu", "LORA").put("datr", "SF7BW125").put("codr", "4/5")
        .put("rssi", (int) rx.rssi()).put("lsnr", rx.snr())
        .put("size", frame.phyPayload().length)
        .put("data", Base64.getEncoder().encodeToString(frame.phyPayload()));
    return header(token, PUSH_DATA, rx.gatewayEui())
        .appendBuffer(new JsonObject().put("rxpk", new JsonArray().add(rxpk)).toBuffer());
  }

  /** A PULL_DATA: the gateway's keep-alive, which opens the downlink path. */
  public static Buffer pullData(int token, String gatewayEui) {
    return header(token, PULL_DATA, gatewayEui);
  }

  private static Buffer header(int token, int identifier, String gatewayEui) {
    return Buffer.buffer().appendUnsignedByte((short) VERSION).appendUnsignedShort(token)
        .appendUnsignedByte((short) identifier).appendBytes(HexFormat.of().parseHex(gatewayEui));
  }

  /** The token of an acknowledgement ({@code version | token | identifier}), or -1 when it is not {@code identifier}. */
  public static int ackToken(Buffer datagram, int identifier) {
    if (datagram.length() < 4 || datagram.getUnsignedByte(3) != identifier) return -1;
    return datagram.getUnsignedShort(1);
  }
}
