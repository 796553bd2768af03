package io.vigie.common.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigie.common.json.JsonText;
import java.io.IOException;
import io.vertx.core.json.JsonObject;

/**
 * How an uplink was sent: the radio settings and frame flags the source reports, each null when it does not say.
 *
 * @param frequencyHz the uplink channel, in Hz
 * @param dataRate the regional data rate index (DR0…DR15), when the source gives it
 * @param spreadingFactor LoRa spreading factor (7…12)
 * @param bandwidthHz LoRa bandwidth, in Hz (125000, 250000, 500000)
 * @param codingRate LoRa coding rate as people write it: {@code 4/5} … {@code 4/8}
 * @param adr the ADR bit of the frame
 * @param confirmed a confirmed data uplink (the device asked for an acknowledgement)
 */
public record TxInfo(Long frequencyHz, Integer dataRate, Integer spreadingFactor, Integer bandwidthHz,
                     String codingRate, Boolean adr, Boolean confirmed) {

  /** Whether the source said nothing at all. */
  public boolean isEmpty() {
    return frequencyHz == null && dataRate == null && spreadingFactor == null && bandwidthHz == null
        && codingRate == null && adr == null && confirmed == null;
  }

  /** Only the fields that are known. */
  public JsonObject toJson() {
    var json = new JsonObject();
    if (frequencyHz != null) json.put("frequencyHz", frequencyHz);
    if (dataRate != null) json.put("dataRate", dataRate);
    if (spreadingFactor != null) json.put("spreadingFactor", spreadingFactor);
    if (bandwidthHz != null) json.put("bandwidthHz", bandwidthHz);
    if (codingRate != null) json.put("codingRate", codingRate);
    if (adr != null) json.put("adr", adr);
    if (confirmed != null) json.put("confirmed", confirmed);
    return json;
  }

  /** {@link #toJson()} written with a generator (the same fields, in the same order). */
  void write(JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    JsonText.optional(generator, "frequencyHz", frequencyHz);
    JsonText.optional(generator, "dataRate", dataRate);
    JsonText.optional(generator, "spreadingFactor", spreadingFactor);
    JsonText.optional(generator, "bandwidthHz", bandwidthHz);
    JsonText.optional(generator, "codingRate", codingRate);
    JsonText.optional(generator, "adr", adr);
    JsonText.optional(generator, "confirmed", confirmed);
    generator.writeEndObject();
  }

  /** Null for a null or empty object. */
  public static TxInfo fromJson(JsonObject json) {
    if (json == null) return null;
    var tx = new TxInfo(json.getLong("frequencyHz"), json.getInteger("dataRate"), json.getInteger("spreadingFactor"),
        json.getInteger("bandwidthHz"), json.getString("codingRate"), json.getBoolean("adr"), json.getBoolean("confirmed"));
    return tx.isEmpty() ? null : tx;
  }
}
