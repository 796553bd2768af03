package io.vigie.decoder.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.Addresses;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.MeasurementValue;
import io.vigie.decoder.codec.CodecExamples;
import io.vigie.decoder.codec.JavaScriptCodecs;
import io.vigie.decoder.codec.VendorFields;
import io.vigie.decoder.domain.CayenneLppCodec;
import io.vigie.decoder.domain.CodecException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The codec playground {@code POST /api/v1/tools/decode} (admins and operators): one payload through a given codec,
 * with its data, canonical measurements, warnings and errors; and {@link Addresses#DECODER_CODEC_TEST}, which runs a
 * codec's examples for the registry before it activates a device type. Scripts run on the codec workers.
 */
public final class CodecToolRoutes {
  public static final String PATH = "/api/v1/tools/decode";
  static final long BODY_LIMIT = 256 * 1024;

  private final JavaScriptCodecs javascript;
  private final WorkerExecutor workers;

  public CodecToolRoutes(JavaScriptCodecs javascript, WorkerExecutor workers) {
    this.javascript = javascript;
    this.workers = workers;
  }

  public void mount(Router router, TokenVerifier verifier) {
    router.post(PATH)
        .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
        .handler(new AuthHandler(verifier))
        .handler(LorawanToolRoutes::operatorsOnly)
        .handler(this::playground);
  }

  public Future<Void> serveExamples(EventBus bus) {
    return bus.<JsonObject>consumer(Addresses.DECODER_CODEC_TEST, message -> {
      var body = message.body();
      var codec = body == null ? null : body.getJsonObject("codec");
      var examples = body == null ? null : body.getJsonArray("examples");
      if (codec == null || examples == null || !"javascript".equals(codec.getString("kind"))
          || codec.getString("script") == null) {
        message.fail(400, "codec test needs {\"codec\":{\"kind\":\"javascript\",\"script\"},\"examples\":[…]}");
        return;
      }
      workers.executeBlocking(() -> CodecExamples.run(javascript, codec.getString("script"), examples), false)
          .onSuccess(verdicts -> message.reply(new JsonObject()
              .put("passed", verdicts.stream().allMatch(CodecExamples.Verdict::passed))
              .put("results", new JsonArray(verdicts.stream().map(CodecExamples.Verdict::toJson).toList()))))
          .onFailure(failure -> BusReplies.fail(message, failure));
    }).completion();
  }

  private void playground(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      request = null;
    }
    if (request == null || !(request.getValue("codec") instanceof JsonObject codec)) {
      ctx.fail(ApiException.badRequest("the body must be {\"codec\":{\"kind\",\"script\"?},\"fPort\",\"payloadHex\"}"));
      return;
    }
    byte[] payload;
    try {
      payload = HexFormat.of().parseHex(request.getString("payloadHex", ""));
    } catch (IllegalArgumentException | ClassCastException e) {
      ctx.fail(ApiException.badRequest("payloadHex must be hex"));
      return;
    }
    var fPort = request.getValue("fPort") instanceof Number n ? n.intValue() : 1;
    var mapping = request.getValue("measurements") instanceof JsonObject m ? m : null;
    switch (String.valueOf(codec.getValue("kind"))) {
      case CayenneLppCodec.KIND -> ctx.json(lpp(payload, mapping));
      case "javascript" -> {
        if (!(codec.getValue("script") instanceof String script) || script.isBlank()) {
          ctx.fail(ApiException.badRequest("a javascript codec needs its script"));
          return;
        }
        var variables = codec.getValue("variables") instanceof JsonObject v ? v : null;
        workers.executeBlocking(() -> javascript(script, fPort, payload, variables, mapping), false)
            .onSuccess(ctx::json).onFailure(ctx::fail);
      }
      default -> ctx.fail(ApiException.badRequest("codec.kind must be cayenne-lpp or javascript"));
    }
  }

  private static JsonObject lpp(byte[] payload, JsonObject mapping) {
    try {
      var decoding = CayenneLppCodec.decode(payload, mapping);
      return answer(decoding.decoded(), decoding.measurements(), List.of(), decoding.errors());
    } catch (CodecException e) {
      return answer(new JsonObject(), List.of(), List.of(), List.of(e.getMessage()));
    }
  }

  private JsonObject javascript(String script, int fPort, byte[] payload, JsonObject variables, JsonObject mapping) {
    var result = javascript.decode(script, fPort, payload, Instant.now(), variables);
    if (result.failed()) return answer(new JsonObject(), List.of(), result.warnings(), result.errors());
    var standard = VendorFields.standardise(result.data(), mapping);
    return answer(result.data(), standard.measurements(),
        concat(result.warnings(), standard.warnings()), concat(result.errors(), standard.errors()));
  }

  private static JsonObject answer(JsonObject data, List<MeasurementValue> measurements, List<String> warnings,
                                   List<String> errors) {
    return new JsonObject().put("data", data)
        .put("measurements", new JsonArray(measurements.stream().map(MeasurementValue::toJson).toList()))
        .put("warnings", new JsonArray(warnings)).put("errors", new JsonArray(errors));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
