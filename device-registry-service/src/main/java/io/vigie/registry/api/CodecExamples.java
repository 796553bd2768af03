package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;

/**
 * Asks the decoder, which runs codecs, whether a codec gives what its examples expect
 * ({@link Addresses#DECODER_CODEC_TEST}). A codec without examples passes.
 */
public final class CodecExamples {
  private final EventBus bus;
  private final DeliveryOptions delivery;

  public CodecExamples(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** {@code {"passed", "results"}}; fails 503 when no decoder answers (a codec with examples is not activated unchecked). */
  public Future<JsonObject> check(JsonObject codec) {
    var examples = codec.getJsonArray("examples");
    if (!"javascript".equals(codec.getString("kind")) || examples == null || examples.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("passed", true).put("results", new JsonArray()));
    }
    var request = new JsonObject()
        .put("codec", new JsonObject().put("kind", "javascript").put("script", codec.getString("script")))
        .put("examples", examples);
    return bus.<JsonObject>request(Addresses.DECODER_CODEC_TEST, request, delivery)
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(failure instanceof io.vertx.core.eventbus.ReplyException reply
            && reply.failureCode() == 400 ? ApiException.badRequest(reply.getMessage())
            : ApiException.unavailable("the decoder, which runs the codec's examples, did not answer")));
  }
}
