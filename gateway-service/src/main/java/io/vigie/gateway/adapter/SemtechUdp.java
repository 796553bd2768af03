package io.vigie.gateway.adapter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.TxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.lorawan.FrameException;
import io.vigie.lorawan.MType;
import io.vigie.lorawan.PhyPayload;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The Semtech packet-forwarder protocol (UDP, version 2; version 1 is read the same way) → received frames. The
 * datagram is {@code version(1) | token(2) | identifier(1) | …}; PUSH_DATA, PULL_DATA and TX_ACK then carry the
 * gateway EUI (8 bytes), PUSH_DATA a JSON object with {@code rxpk[]} (received packets) and/or {@code stat}.
 * Everything malformed fails with an {@link InvalidUplinkException} whose reason is the drop counter's tag.
 */
public final class SemtechUdp {
  public static final String SOURCE = "semtech-udp";
  public static final int PUSH_DATA = 0x00;
  public static final int PUSH_ACK = 0x01;
  public static final int PULL_DATA = 0x02;
  public static final int PULL_ACK = 0x04;
  public static final int TX_ACK = 0x05;
  private static final int HEADER = 4;
  private static final int EUI = 8;
  /** The reason of a join request: counted as ignored, not as rejected (OTAA is out of scope). */
  public static final String JOIN_REQUEST = FrameException.Reason.JOIN_REQUEST.code();
  /** The drop reason of any frame that is not a data uplink (join accept, downlink, RFU, proprietary). */
  static final String NOT_DATA_UP = "not_data_up";
  private static final HexFormat HEX = HexFormat.of();

  private SemtechUdp() {}

  /** The fixed part of a datagram; {@code gatewayEui} is null for messages without it. */
  public record Header(int version, int token, int identifier, String gatewayEui) {}

  /** One received packet of a PUSH_DATA, before its DevAddr is resolved to a device. */
  public record Received(PhyPayload frame, RxInfo rx, Instant time, TxInfo tx) {
    public Uplink toUplink(String devEui) {
      return new Uplink(devEui, frame.fCnt16(), frame.fPort(), HEX.formatHex(frame.frmPayload()), true,
          frame.devAddrHex(), time, SOURCE, List.of(rx), HEX.formatHex(frame.bytes()), tx);
    }
  }

  /** Reads the header of any datagram a gateway sends. */
  public static Header header(Buffer datagram) {
    if (datagram.length() < HEADER) {
      throw new InvalidUplinkException("truncated", "a datagram has at least 4 bytes, got " + datagram.length());
    }
    var version = datagram.getUnsignedByte(0);
    if (version != 1 && version != 2) {
      throw new InvalidUplinkException("bad_version", "protocol version " + version + " (expected 2, or 1)");
    }
    var token = datagram.getUnsignedShort(1);
    var identifier = datagram.getUnsignedByte(3);
    String eui = null;
    if (identifier == PUSH_DATA || identifier == PULL_DATA || identifier == TX_ACK) {
      if (datagram.length() < HEADER + EUI) {
        throw new InvalidUplinkException("truncated", "the datagram ends before the gateway EUI");
      }
      eui = HEX.formatHex(datagram.getBytes(HEADER, HEADER + EUI));
    } else {
      throw new InvalidUplinkException("unexpected_identifier", "identifier 0x" + Integer.toHexString(identifier)
          + " is not sent by gateways");
    }
    return new Header(version, token, identifier, eui);
  }

  /** The JSON object of a PUSH_DATA. */
  public static JsonObject pushData(Buffer datagram) {
    return JsonBodies.object(datagram.slice(HEADER + EUI, datagram.length()), "a PUSH_DATA object {\"rxpk\":[…],\"stat\":{…}}");
  }

  /** The acknowledgement of {@code header}: same version and token, identifier {@code ackId}. */
  public static Buffer ack(Header header, int ackId) {
    return Buffer.buffer(HEADER).appendUnsignedByte((short) header.version()).appendUnsignedShort(header.token())
        .appendUnsignedByte((short) ackId);
  }

  /**
   * Reads one {@code rxpk} entry.
   *
   * @param now the reception time when the packet carries no usable {@code time} (no GPS, no NTP)
   * @throws InvalidUplinkException reason {@code crc_bad} (stat -1 or 0), {@code malformed}, {@code bad_base64},
   *     or one of {@link #dataUp}'s
   */
  public static Received received(JsonObject rxpk, String gatewayEui, Instant now, String path) {
    var stat = rxpk.getValue("stat");
    if (stat != null && JsonFields.optionalNumber(rxpk, "stat", path + ".stat") != 1.0) {
      throw new InvalidUplinkException("crc_bad", path + ".stat is " + stat + ": CRC bad or absent");
    }
    var data = JsonFields.requiredString(rxpk, "data", path + ".data");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidUplinkException("bad_base64", path + ".data is not valid base64");
    }
    var frame = dataUp(bytes);
    var rssi = JsonFields.optionalNumber(rxpk, "rssi", path + ".rssi");
    var snr = JsonFields.optionalNumber(rxpk, "lsnr", path + ".lsnr");
    var rsig = JsonFields.optionalArray(rxpk, "rsig", path + ".rsig");
    if ((rssi == null || snr == null) && !rsig.isEmpty() && rsig.getValue(0) instanceof JsonObject antenna) {
      // protocol 2 with SX1301 v2 boards: per-antenna signal under rsig[]
      if (rssi == null) rssi = JsonFields.optionalNumber(antenna, "rssic", path + ".rsig[0].rssic");
      if (snr == null) snr = JsonFields.optionalNumber(antenna, "lsnr", path + ".rsig[0].lsnr");
    }
    return new Received(frame, new RxInfo(gatewayEui, rssi, snr), time(rxpk, now), txInfo(rxpk, bytes, frame));
  }

  /**
   * {@code freq} (MHz), {@code datr} ({@code SF7BW125}: LoRa spreading factor and bandwidth; a number for FSK),
   * {@code codr} ({@code 4/5}); the ADR bit (FCtrl bit 7) and confirmed (MType) from the frame itself.
   */
  private static TxInfo txInfo(JsonObject rxpk, byte[] bytes, PhyPayload frame) {
    var lora = RadioFields.loraDatr(rxpk.getValue("datr"));
    return new TxInfo(RadioFields.megahertz(rxpk.getValue("freq")), null, lora == null ? null : lora[0],
        lora == null ? null : lora[1], RadioFields.codingRate(rxpk.getValue("codr")), frame.adr(),
        frame.mType() == MType.CONFIRMED_DATA_UP);
  }

  /**
   * The frame of a received packet, read by the {@code lorawan} library (no keys: the MIC and the payload are the
   * decoder's), at the edge where its {@link FrameException} becomes the adapter's drop reason.
   *
   * @throws InvalidUplinkException reason {@code join_request} (out of scope, counted as ignored), {@code not_data_up}
   *     for any frame but a data uplink, or the {@link FrameException.Reason#code()} of the refusal
   *     ({@code truncated_frame}, {@code unsupported_major}, {@code frame_too_long}, {@code mac_commands_twice})
   */
  static PhyPayload dataUp(byte[] bytes) {
    PhyPayload frame;
    try {
      frame = PhyPayload.parse(bytes);
    } catch (FrameException e) {
      var reason = e.reason() == FrameException.Reason.NOT_DATA_FRAME ? NOT_DATA_UP : e.reason().code();
      throw new InvalidUplinkException(reason, e.getMessage());
    }
    if (!frame.isUplink()) throw new InvalidUplinkException(NOT_DATA_UP, frame.mType().wire() + " is not a data uplink");
    return frame;
  }

  /** {@code time} (UTC, ISO 8601 with microseconds); a missing or unreadable one is replaced by {@code now}. */
  private static Instant time(JsonObject rxpk, Instant now) {
    if (!(rxpk.getValue("time") instanceof String time) || time.isBlank()) return now;
    try {
      return Instant.parse(time.trim());
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
