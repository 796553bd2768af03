package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DecodedBatch;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The batch protocol of {@code uplink.received} and {@code uplink.decoded}, for tests. */
final class Batches {
  private Batches() {}

  /** The body the gateway sends: these uplinks, in this order. */
  static JsonObject of(Uplink... uplinks) {
    return of(List.of(uplinks));
  }

  static JsonObject of(List<Uplink> uplinks) {
    return Batch.toJson(Batch.UPLINKS, uplinks, Uplink::toJson);
  }

  static List<UplinkFate> fates(Message<?> reply) {
    return FateBatch.of(reply.body()).results();
  }

  /**
   * A stand-in enrichment that stores each uplink id once, like the real one: a new one is handed to {@code stored}
   * and answered {@code stored} ({@code codec-error} when it carries errors), a known one {@code duplicate}.
   */
  static Future<Void> storingOnce(Vertx vertx, Consumer<Measurement> stored) {
    return vertx.eventBus().<Object>consumer(Addresses.UPLINK_DECODED, storingOnce(stored)).completion();
  }

  /** The handler of {@link #storingOnce(Vertx, Consumer)}, for a stand-in that does more. */
  static Handler<Message<Object>> storingOnce(Consumer<Measurement> stored) {
    var ids = ConcurrentHashMap.<String>newKeySet();
    return message -> {
      var uplinks = DecodedBatch.of(message.body()).uplinks();
      message.reply(Batch.toJson(Batch.RESULTS, uplinks, uplink -> {
        var m = uplink.measurement();
        var fresh = ids.add(m.id());
        if (fresh) stored.accept(m);
        var status = !fresh ? UplinkStatus.DUPLICATE : m.errors().isEmpty() ? UplinkStatus.STORED : UplinkStatus.CODEC_ERROR;
        return new UplinkFate(m.id(), m.devEui(), m.fCnt(), m.receivedAt(), m.source(), status,
            m.errors().isEmpty() ? null : String.join("; ", m.errors()), m.measurements()).toJson();
      }));
    };
  }

  /**
   * A stand-in enrichment: hands each decoded uplink of a batch to {@code seen}, in order, and answers each with
   * {@code status}.
   */
  static Future<Void> enrichment(Vertx vertx, UplinkStatus status, Consumer<DecodedUplink> seen) {
    return vertx.eventBus().<Object>consumer(Addresses.UPLINK_DECODED, (Message<Object> message) -> {
      var uplinks = DecodedBatch.of(message.body()).uplinks();
      uplinks.forEach(seen);
      message.reply(Batch.toJson(Batch.RESULTS, uplinks, uplink -> {
        var m = uplink.measurement();
        return new UplinkFate(m.id(), m.devEui(), m.fCnt(), m.receivedAt(), m.source(), status, null, m.measurements()).toJson();
      }));
    }).completion();
  }
}
