package io.vigie.common.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.json.JsonText;
import io.vigie.common.json.Rfc3339;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An uplink as the gateway hands it to the decoder: the same shape whatever the source.
 *
 * @param devEui 16 lower-case hex digits
 * @param fCnt the frame counter as given by the source (32-bit for network servers)
 * @param fPort null when the frame has no FPort
 * @param payloadHex FRMPayload, hex; in clear or encrypted with the AppSKey (see {@code encrypted})
 * @param encrypted true when the source says it did not decrypt, false when it did, null when it does not say
 * @param receivedAt the reception time given by the source, else the moment the gateway received it
 * @param phyPayloadHex the whole PHYPayload (MHDR … MIC) when the source gives it (Semtech UDP, some
 *     network servers), so that the MIC can be checked; null otherwise
 * @param tx the radio settings and frame flags the source reports (frequency, data rate, ADR, confirmed…); null
 *     when it reports none
 */
public record Uplink(String devEui, long fCnt, Integer fPort, String payloadHex, Boolean encrypted,
                     String devAddr, Instant receivedAt, String source, List<RxInfo> rx, String phyPayloadHex,
                     TxInfo tx) {

  /** An uplink whose source does not give the whole frame. */
  public Uplink(String devEui, long fCnt, Integer fPort, String payloadHex, Boolean encrypted,
                String devAddr, Instant receivedAt, String source, List<RxInfo> rx) {
    this(devEui, fCnt, fPort, payloadHex, encrypted, devAddr, receivedAt, source, rx, null, null);
  }

  /** An uplink without radio settings. */
  public Uplink(String devEui, long fCnt, Integer fPort, String payloadHex, Boolean encrypted,
                String devAddr, Instant receivedAt, String source, List<RxInfo> rx, String phyPayloadHex) {
    this(devEui, fCnt, fPort, payloadHex, encrypted, devAddr, receivedAt, source, rx, phyPayloadHex, null);
  }

  public Uplink {
    Objects.requireNonNull(devEui, "devEui");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(source, "source");
    payloadHex = payloadHex == null ? "" : payloadHex;
    rx = rx == null ? List.of() : List.copyOf(rx);
    tx = tx == null || tx.isEmpty() ? null : tx;
  }

  /** The same uplink with other radio metadata (the gateways that heard it). */
  public Uplink withRx(List<RxInfo> otherRx) {
    return new Uplink(devEui, fCnt, fPort, payloadHex, encrypted, devAddr, receivedAt, source, otherRx, phyPayloadHex, tx);
  }

  /** The same uplink with another payload, said to be in clear or encrypted. */
  public Uplink withPayload(String otherPayloadHex, Boolean isEncrypted) {
    return new Uplink(devEui, fCnt, fPort, otherPayloadHex, isEncrypted, devAddr, receivedAt, source, rx, phyPayloadHex, tx);
  }

  /** The identity of an uplink: devEui and 32-bit counter; also the Elasticsearch document id. */
  public String id() {
    return MessageIds.uplinkId(devEui, fCnt);
  }

  public JsonObject toJson() {
    var json = new JsonObject()
        .put("id", id())
        .put("devEui", devEui)
        .put("fCnt", fCnt)
        .put("payloadHex", payloadHex)
        .put("receivedAt", receivedAt.toString())
        .put("source", source)
        .put("rx", new JsonArray(rx.stream().map(RxInfo::toJson).toList()));
    if (fPort != null) json.put("fPort", fPort);
    if (encrypted != null) json.put("encrypted", encrypted);
    if (devAddr != null) json.put("devAddr", devAddr);
    if (phyPayloadHex != null) json.put("phyPayloadHex", phyPayloadHex);
    if (tx != null) json.put("tx", tx.toJson());
    return json;
  }

  /**
   * The text of {@link #toJson()} (the same bytes), written straight from the record: what the gateway appends to the
   * ingest log for every uplink, where building the {@code JsonObject} only to encode it cost more than writing.
   */
  public String encode() {
    return JsonText.write(generator -> {
      generator.writeStartObject();
      generator.writeStringField("id", id());
      generator.writeStringField("devEui", devEui);
      generator.writeNumberField("fCnt", fCnt);
      generator.writeStringField("payloadHex", payloadHex);
      generator.writeStringField("receivedAt", receivedAt.toString());
      generator.writeStringField("source", source);
      generator.writeArrayFieldStart("rx");
      for (var one : rx) one.write(generator);
      generator.writeEndArray();
      JsonText.optional(generator, "fPort", fPort);
      JsonText.optional(generator, "encrypted", encrypted);
      JsonText.optional(generator, "devAddr", devAddr);
      JsonText.optional(generator, "phyPayloadHex", phyPayloadHex);
      if (tx != null) {
        generator.writeFieldName("tx");
        tx.write(generator);
      }
      generator.writeEndObject();
    });
  }

  public static Uplink fromJson(JsonObject json) {
    var items = json.getJsonArray("rx");
    var rx = new ArrayList<RxInfo>(items == null ? 0 : items.size());
    if (items != null) for (int i = 0; i < items.size(); i++) rx.add(RxInfo.fromJson(items.getJsonObject(i)));
    return new Uplink(json.getString("devEui"), json.getLong("fCnt"), json.getInteger("fPort"),
        json.getString("payloadHex"), json.getBoolean("encrypted"), json.getString("devAddr"),
        Rfc3339.parse(json.getString("receivedAt")), json.getString("source"), rx, json.getString("phyPayloadHex"),
        TxInfo.fromJson(json.getJsonObject("tx")));
  }
}
